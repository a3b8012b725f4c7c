import Synchronization

/// The catalog entries registered at run time, beside the built-in ones.
///
/// A `Mutex` (Synchronization, available from the package's macOS 15 floor) guards the entries:
/// `Learning` does not import Foundation, so no `NSLock`.
final class DatasetRegistry: Sendable {
    static let shared = DatasetRegistry()

    private let entries = Mutex<[DatasetCatalog.Entry]>([])

    /// The registered entries, in the order they were added.
    var all: [DatasetCatalog.Entry] {
        entries.withLock { $0 }
    }

    /// Adds `entry` unless `isTaken` says its name is already used; check and insertion are
    /// one step, so two threads registering one name cannot both succeed.
    func add(_ entry: DatasetCatalog.Entry, unless isTaken: (String, [DatasetCatalog.Entry]) -> Bool) -> Bool {
        entries.withLock { entries in
            guard !isTaken(entry.name, entries) else { return false }
            entries.append(entry)
            return true
        }
    }
}
