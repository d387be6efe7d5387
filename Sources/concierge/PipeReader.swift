import CReadline
import Foundation

/// Reads lines from standard input when it is not a terminal, waking up regularly so the caller can
/// print what arrived meanwhile (an agent's reply, a new customer message).
struct PipeReader {
    /// A line longer than this is kept only up to here (the session then cuts it to the knowledge's
    /// `max_message_length` and tells the customer), so a huge line costs bounded memory and time.
    static let maximumLineBytes = 1 << 20

    /// The line being read (no newline yet), at most `maximumLineBytes`.
    private var partial: [UInt8] = []
    /// Complete lines read ahead, oldest first from `nextReady`.
    private var ready: [[UInt8]] = []
    private var nextReady = 0
    private var ended = false
    /// The current line reached the limit: the rest of it, up to its newline, is dropped.
    private var overflowed = false

    /// The next line (without its newline, invalid UTF-8 repaired), or nil at end of input. `idle`
    /// runs about every `interval` milliseconds while no complete line is available.
    mutating func readLine(interval: Int32 = 200, wakeup: Wakeup? = nil, idle: () -> Void = {}) -> String? {
        while true {
            if nextReady < ready.count {
                var line = ready[nextReady]
                nextReady += 1
                if nextReady == ready.count {
                    ready.removeAll(keepingCapacity: true)
                    nextReady = 0
                }
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if ended {
                guard !partial.isEmpty else { return nil }
                defer { partial.removeAll() }
                return String(decoding: partial, as: UTF8.self)
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
                    take(chunk[..<count])
                }
            } else if ready == 0 {
                idle()
            }
        }
    }

    /// Splits what was read into lines, each kept up to `maximumLineBytes`.
    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while let newline = rest.firstIndex(of: 0x0A) {
            append(rest[..<newline])
            ready.append(partial)
            partial.removeAll(keepingCapacity: false)
            overflowed = false
            rest = rest[(newline + 1)...]
        }
        append(rest)
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>) {
        guard !overflowed else { return }
        let room = Self.maximumLineBytes - partial.count
        var kept = bytes.prefix(room)
        // Never end in the middle of a UTF-8 sequence: drop a cut one (decoding would show U+FFFD).
        if kept.count < bytes.count {
            overflowed = true
            while let last = kept.last, last & 0xC0 == 0x80 { kept.removeLast() }
            if let last = kept.last, last >= 0xC0 { kept.removeLast() }
        }
        partial.append(contentsOf: kept)
    }
}
