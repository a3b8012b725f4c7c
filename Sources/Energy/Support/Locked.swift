import Foundation

/// A value reachable from several threads only through `withLock`.
///
/// `@unchecked Sendable` is sound because every access to `value` happens while `lock` is held;
/// the meters inside are plain classes that must never be touched by two threads at once.
/// (`Synchronization.Mutex` would do the same but needs macOS 15, above this package's floor.)
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
