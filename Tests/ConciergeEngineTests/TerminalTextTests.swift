import ConciergeEngine
import Testing

/// What a person's text looks like once it is safe for a terminal.
@Suite struct TerminalTextTests {
    @Test func terminalTextShowsEveryControlAndKeepsOrdinaryText() {
        #expect(TerminalText.line("Crème brûlée 🍮, שלום, 東京") == "Crème brûlée 🍮, שלום, 東京")
        #expect(TerminalText.line("a\u{1B}[2Jb\rc\u{8}d\u{0}e\u{9B}f\u{2066}g") == "a\\e[2Jb\\rc\\bd\\0e\\u{009B}f\\u{2066}g")
        #expect(TerminalText.line("one\ntwo") == "one\\ntwo")
        #expect(TerminalText.block("one\ntwo\u{7}") == "one\ntwo\\a")
        #expect(TerminalText.isSafe("ana"))
        #expect(!TerminalText.isSafe("ana\u{1B}"))
    }
}
