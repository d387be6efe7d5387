/// Text that came from a person, made safe to show on a terminal.
///
/// A customer's message, an agent's reply or a name typed at a prompt can hold escape sequences
/// that a terminal obeys: clear the screen, set the window title, colour or hide text, move the
/// cursor back over a line (carriage return, backspace), or reorder what follows (bidi overrides).
/// Printed unchanged, such text could draw a fake "SYSTEM:" line on an agent's console. Every text
/// from a person goes through `line(_:)` or `block(_:)` before it is printed; our own colours are
/// added after, around the safe text, so they still work.
///
/// ```swift
/// TerminalText.line("hi\u{1B}[2J")       // "hi\\e[2J": shown, not obeyed
/// TerminalText.block("one\ntwo\u{7}")    // "one\ntwo\\a": line breaks kept
/// ```
///
/// Control characters are shown the way a C string writes them (`\e`, `\r`, `\b`, `\xHH`); format
/// characters that reorder or hide text (bidi overrides and isolates, line and paragraph
/// separators) as `\u{XXXX}`. Everything else is unchanged, so ordinary text, accents, emoji and
/// scripts written right to left (without override characters) read as typed.
public enum TerminalText {
    /// `text` on one line: line breaks are shown as `\n` too, so a message cannot start a line of
    /// its own on the console.
    public static func line(_ text: String) -> String { escaped(text, keepingLineBreaks: false) }

    /// `text` with its line breaks kept (a reply of several lines), every other control shown.
    public static func block(_ text: String) -> String { escaped(text, keepingLineBreaks: true) }

    /// True when `text` holds nothing `line(_:)` would change.
    public static func isSafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { visible($0, keepingLineBreaks: false) == nil }
    }

    static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        // Fast path: most text has nothing to escape.
        guard text.unicodeScalars.contains(where: { visible($0, keepingLineBreaks: keepingLineBreaks) != nil }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let shown = visible(scalar, keepingLineBreaks: keepingLineBreaks) {
                out.append(contentsOf: shown.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// How `scalar` is shown, or nil when it is shown as itself.
    static func visible(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> String? {
        switch scalar.value {
        case 0x0A: return keepingLineBreaks ? nil : "\\n"
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x01...0x1F, 0x7F: return "\\x" + hex(scalar.value, digits: 2)
        case 0x80...0x9F, // C1 controls: CSI (0x9B) and OSC (0x9D) work like ESC [ and ESC ]
            0x061C, 0x200E, 0x200F, // bidi marks
            0x202A...0x202E, // bidi embeddings and overrides
            0x2066...0x2069, // bidi isolates
            0x2028, 0x2029: // line and paragraph separators
            return "\\u{" + hex(scalar.value, digits: 4) + "}"
        default: return nil
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
