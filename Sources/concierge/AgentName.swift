import ArgumentParser
import Foundation
import ConciergeEngine

/// An agent's name as given on the command line: what customers and the audit log see, so it is
/// plain text of a sensible length.
enum AgentName {
    /// Throws a usage error naming `option` when `name` is empty, too long or holds control characters.
    static func validate(_ name: String, option: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(option) needs a name, for example \(option) ana") }
        guard TerminalText.isSafe(name), name.count <= 64 else {
            throw ValidationError("\(option) must be plain text of at most 64 characters (no control characters), for example \(option) ana")
        }
    }
}
