import CReadline
import Foundation

/// A self-pipe: another thread calls `signal()` (say, when the database notifies that an agent
/// replied) and the REPL's `poll` on `descriptor` wakes at once instead of at its next timer.
final class Wakeup: Sendable {
    let descriptor: Int32
    private let writer: Int32

    init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            descriptor = fds[0]
            writer = fds[1]
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        } else {
            descriptor = -1
            writer = -1
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if writer >= 0 { close(writer) }
    }

    /// Wakes the REPL (safe from any thread; extra signals collapse into one wake-up).
    func signal() {
        var byte: UInt8 = 1
        _ = write(writer, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(descriptor, &buffer, buffer.count) > 0 {}
    }
}
