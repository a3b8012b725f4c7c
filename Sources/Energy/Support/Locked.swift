import Foundation

/// A value reachable from several threads only through `withLock`.
///
/// `@unchecked Sendable` is sound because every access to `value` happens while `lock` is held;
/// the meters inside are plain classes that must never be touched by two threads at once.
/// (Not `Synchronization.Mutex`: its `withLock` hands the value over as `sending`, which the
/// monitor's state — plain meter classes and closures, not `Sendable` — cannot be.)
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
