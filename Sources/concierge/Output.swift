import CReadline
import Foundation

/// Writing to standard output and standard error, unbuffered where it matters.
enum Output {
    /// Writes a line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes a line to standard output and flushes it, so a reader on a pipe sees each reply at once.
    static func line(_ text: String) {
        concierge_write_stdout(text + "\n")
    }

    /// True when standard input is a terminal.
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    /// True when standard output is a terminal (colours and the banner only then).
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
