import Foundation

/// A value that several threads share, reached only through `withLock`, so no access can forget
/// the lock.
///
/// Over `NSLock` rather than `Synchronization.Mutex`: Mutex's `withLock` takes and returns `sending`
/// values, which many callers' closures are not. `Value` is `Sendable`, so whatever `body` copies
/// out is safe to keep.
public final class Locked<Value: Sendable>: @unchecked Sendable {  // `value` is only touched under `lock`
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, holding the lock; `body` must not call back into this box.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
