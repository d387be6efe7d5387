public import Foundation
import Synchronization

/// Where a session gets the time: the system clock in production, a frozen clock in replays and
/// tests, so the same conversation gives the same replies and records byte for byte.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemTime: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that starts at a fixed instant and moves forward only when told (or by `step` on every
/// reading), for deterministic replays.
public final class FrozenTime: TimeSource {
    private let current: Mutex<Date>
    private let step: TimeInterval

    public init(_ start: Date, step: TimeInterval = 0) {
        current = Mutex(start)
        self.step = step
    }

    public func now() -> Date {
        current.withLock { date in
            let value = date
            date = date.addingTimeInterval(step)
            return value
        }
    }

    /// Moves the clock forward.
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }
}
