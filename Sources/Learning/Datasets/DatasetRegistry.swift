#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The catalog entries registered at run time, beside the built-in ones.
///
/// `@unchecked Sendable` is sound because `entries` is only read or written while `mutex` is
/// held. A pthread mutex rather than `NSLock`, because `Learning` does not import Foundation,
/// and rather than `Synchronization.Mutex`, which needs macOS 15, above the package's floor.
final class DatasetRegistry: @unchecked Sendable {
    static let shared = DatasetRegistry()

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var entries: [DatasetCatalog.Entry] = []

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// The registered entries, in the order they were added.
    var all: [DatasetCatalog.Entry] {
        withLock { $0 }
    }

    /// Adds `entry` unless `isTaken` says its name is already used; check and insertion are
    /// one step, so two threads registering one name cannot both succeed.
    func add(_ entry: DatasetCatalog.Entry, unless isTaken: (String, [DatasetCatalog.Entry]) -> Bool) -> Bool {
        withLock { entries in
            guard !isTaken(entry.name, entries) else { return false }
            entries.append(entry)
            return true
        }
    }

    private func withLock<Result>(_ body: (inout [DatasetCatalog.Entry]) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&entries)
    }
}
