import CReadline
import Foundation

/// Reads lines from standard input when it is not a terminal, waking up regularly so the caller can
/// print what arrived meanwhile (an agent's reply, a new customer message).
struct PipeReader {
    private var buffer: [UInt8] = []
    private var ended = false

    /// The next line (without its newline, invalid UTF-8 repaired), or nil at end of input. `idle`
    /// runs about every `interval` milliseconds while no complete line is available.
    mutating func readLine(interval: Int32 = 200, wakeup: Wakeup? = nil, idle: () -> Void = {}) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if ended {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var descriptors = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeup?.descriptor ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, interval)
            if ready > 0, descriptors[1].revents != 0 {
                wakeup?.drain()
                idle()
            }
            if ready > 0, descriptors[0].revents != 0 {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let count = read(STDIN_FILENO, &chunk, chunk.count)
                if count <= 0 {
                    ended = true
                } else {
                    buffer.append(contentsOf: chunk[..<count])
                }
            } else if ready == 0 {
                idle()
            }
        }
    }
}
