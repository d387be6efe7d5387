/// A number rounded to three decimals, so explanations and `--jsonl` stay short and stable.
func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// `0.55` style formatting for explanations.
func format(_ value: Double) -> String {
    let r = rounded(value)
    var text = String(r)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}
