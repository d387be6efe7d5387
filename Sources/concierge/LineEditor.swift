import CReadline
import Foundation
import Synchronization

/// An interactive line editor on GNU readline: history, Emacs/vi editing, tab completion of a
/// fixed word list, Ctrl-C to clear the line and Ctrl-D to end.
///
/// It uses readline's callback interface on a `poll` loop on the calling thread, so other output
/// (an agent's message, say) can be printed above the line being typed without corrupting it.
final class LineEditor {
    /// What a call to `read` ended with.
    enum Event: Equatable {
        case line(String)
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    private let historyFile: String?
    private let programName: UnsafeMutablePointer<CChar>
    private var installedPrompt: String?

    /// Sets up readline; `words` are offered by tab completion for the first word of a line.
    init(programName: String, historyFile: String?, completions words: [String]) {
        self.historyFile = historyFile
        self.programName = strdup(programName)
        concierge_rl_set_name(self.programName)
        LineEditor.completionWords.withLock { $0 = words.sorted() }
        concierge_rl_set_completion(LineEditor.complete)
        concierge_rl_set_word_breaks(" \t\n")
        concierge_rl_set_catch_signals(0)
        using_history()
        stifle_history(1_000)
        if let historyFile { _ = read_history(historyFile) }
        Self.installSignalHandlers()
    }

    deinit {
        if installedPrompt != nil { rl_callback_handler_remove() }
        if let historyFile { _ = write_history(historyFile) }
        free(programName)
    }

    /// Replaces the completion word list.
    func setCompletions(_ words: [String]) {
        LineEditor.completionWords.withLock { $0 = words.sorted() }
    }

    /// Reads one line. `idle` is called about every `idleInterval` while waiting, and what it returns
    /// is printed above the prompt without disturbing the line being typed.
    func read(prompt: String, idleInterval: Int32 = 250, wakeup: Wakeup? = nil, idle: () -> [String] = { [] }) -> Event {
        LineEditor.received.withLock { $0 = nil }
        rl_callback_handler_install(prompt, LineEditor.lineHandler)
        installedPrompt = prompt
        defer {
            rl_callback_handler_remove()
            installedPrompt = nil
        }
        while true {
            if LineEditor.interrupted.exchange(false, ordering: .relaxed) {
                // Ctrl-C: drop the line being edited and start afresh on a new line.
                concierge_rl_clear_line()
                rl_callback_sigcleanup()
                concierge_write_stdout("^C\n")
                rl_on_new_line()
                rl_redisplay()
            }
            if LineEditor.terminated.load(ordering: .relaxed) {
                rl_callback_handler_remove()
                installedPrompt = nil
                return .endOfInput
            }
            var descriptors = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeup?.descriptor ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, idleInterval)
            if ready > 0, descriptors[1].revents != 0 {
                wakeup?.drain()
                let messages = idle()
                if !messages.isEmpty { printAbove(messages) }
            }
            if ready > 0, descriptors[0].revents != 0 {
                rl_callback_read_char()
                if let event = LineEditor.received.withLock({ value -> Event? in
                    defer { value = nil }
                    return value
                }) {
                    if case .line(let text) = event, !text.trimmingCharacters(in: .whitespaces).isEmpty { add_history(text) }
                    return event
                }
            } else if ready == 0 {
                let messages = idle()
                if !messages.isEmpty { printAbove(messages) }
            }
        }
    }

    /// Prints lines above the prompt, then redraws the prompt and whatever the user had typed.
    func printAbove(_ lines: [String]) {
        let savedPoint = concierge_rl_point()
        let savedLine = String(cString: concierge_rl_line_buffer())
        rl_save_prompt()
        rl_replace_line("", 0)
        rl_redisplay()
        concierge_write_stdout("\r\u{1B}[K")
        for line in lines { concierge_write_stdout(line + "\n") }
        rl_restore_prompt()
        rl_replace_line(savedLine, 0)
        concierge_rl_set_point(savedPoint)
        rl_forced_update_display()
    }

    // MARK: - C callbacks (capture nothing; state lives in these globals)

    private static let received = Mutex<Event?>(nil)
    private static let completionWords = Mutex<[String]>([])
    fileprivate static let interrupted = Atomic<Bool>(false)
    fileprivate static let terminated = Atomic<Bool>(false)

    private static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
        guard let line else {
            received.withLock { $0 = .endOfInput }
            return
        }
        let text = String(cString: line)
        free(line)
        received.withLock { $0 = .line(text) }
    }

    private static let complete: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { text, state in
        concierge_rl_completion_over()
        let prefix = text.map { String(cString: $0) } ?? ""
        let matches = completionWords.withLock { words in words.filter { $0.hasPrefix(prefix) } }
        guard Int(state) < matches.count else { return nil }
        return strdup(matches[Int(state)])
    }

    private static func installSignalHandlers() {
        signal(SIGINT) { _ in LineEditor.interrupted.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in LineEditor.terminated.store(true, ordering: .relaxed) }
        signal(SIGHUP) { _ in LineEditor.terminated.store(true, ordering: .relaxed) }
    }
}
