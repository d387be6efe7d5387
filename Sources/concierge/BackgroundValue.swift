import Foundation
import Synchronization

/// A value computed on a background thread; `value` waits for it. Used to train the engine while the
/// chat already shows its prompt, so the customer can start typing at once.
final class BackgroundValue<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    init(_ compute: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let value = compute()
            self.result.withLock { $0 = value }
            self.ready.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The value, waiting for it the first time.
    var value: Value {
        if let value = result.withLock({ $0 }) { return value }
        ready.wait()
        ready.signal()
        return result.withLock { $0! }
    }
}
