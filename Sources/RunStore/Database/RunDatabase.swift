import Foundation
import GRDB

/// The run store: one SQLite file (WAL mode) holding every run, its epochs, layer costs,
/// metrics, power samples and energy per meter.
///
/// Safe to share between threads and to open from several processes at once: writes are
/// serialized by SQLite with a busy timeout, each call is one transaction, and a reader never
/// blocks a writer. Opening never modifies a file that is not a Footprint database, and
/// processes opening a new file at once all succeed: the schema is created in one transaction,
/// so none of them ever sees it half made.
///
/// ```swift
/// let store = try RunDatabase.open(path: "footprint.sqlite")
/// let me = ProcessIdentity.current()
/// var run = RunRecord(name: "mlp-h100", kind: .train, startedAt: Date(), host: me.hostName)
/// run.pid = me.pid
/// run.processStartTicks = me.startTicks
/// let id = try store.insertRun(run)
/// try store.appendEpoch(EpochRecord(runID: id, epochIndex: 0))
/// try store.finishRun(id: id, status: .completed)
/// ```
public final class RunDatabase: Sendable {
    /// The database file.
    public let path: String
    /// How long a write waits for another process's lock before failing with
    /// ``RunStoreError/locked(path:seconds:)``.
    public let busyTimeoutSeconds: Double
    /// What all calls go through: a pool (one writer, several readers), or one read-only
    /// connection when the file cannot be written (``readOnlyReason``).
    let pool: any DatabaseWriter
    /// Why the store was opened read-only (the file, its directory or its mount cannot be
    /// written), or nil when it can write. Writes to a read-only store fail with
    /// ``RunStoreError/unwritable(path:reason:)`` naming this reason.
    public let readOnlyReason: String?
    /// Where the store asks whether a run's process is alive.
    let processTable: ProcessTable
    /// This machine's host name: crash detection only judges runs recorded here.
    let hostName: String

    /// The file name used when neither `--db` nor `FOOTPRINT_DB` is given.
    public static let defaultFileName = "footprint.sqlite"
    /// The busy timeout used unless another is given: long enough for a 864,000-row batch of
    /// another process to commit.
    public static let defaultBusyTimeoutSeconds = 10.0
    /// The schema version this build reads and writes.
    public static let schemaVersion = RunSchema.knownVersion

    /// The database path to use: an explicit path (`--db`), else `FOOTPRINT_DB`, else
    /// ``defaultFileName`` in the current directory.
    ///
    /// - Parameters:
    ///   - explicitPath: The `--db` option, when given.
    ///   - environment: The process environment.
    /// - Returns: The path to open.
    public static func resolvedPath(explicitPath: String?, environment: [String: String]) -> String {
        if let explicitPath, !explicitPath.isEmpty { return explicitPath }
        if let fromEnvironment = environment["FOOTPRINT_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultFileName
    }

    /// Opens the Footprint database at `path`, creating it (and its tables) when absent.
    ///
    /// Before anything is written the file is inspected read-only: a file that is not SQLite,
    /// another application's database, a damaged or truncated database, or one written by a
    /// newer Footprint is refused and left byte-for-byte untouched; an unwritable file or
    /// directory is refused before any work starts. A file another process is creating at the
    /// same moment is waited for (up to `busyTimeoutSeconds`) rather than refused.
    ///
    /// - Parameters:
    ///   - path: The database file.
    ///   - busyTimeoutSeconds: How long writes wait for other processes' locks.
    /// - Returns: The open store, migrated to ``schemaVersion``.
    /// - Throws: ``RunStoreError``.
    public static func open(path: String, busyTimeoutSeconds: Double = defaultBusyTimeoutSeconds) throws -> RunDatabase {
        try RunDatabase(path: path, busyTimeoutSeconds: busyTimeoutSeconds, processTable: ProcessTable())
    }

    /// Opens an existing Footprint database for the commands that read (`runs`, `show`,
    /// `report`, `export`): as ``open(path:busyTimeoutSeconds:)`` does when the file and its
    /// directory can be written, else read-only (a read-only file, directory or mount, where
    /// not even `-wal` and `-shm` files can be made). A read-only store reads everything; its
    /// writes fail with ``RunStoreError/unwritable(path:reason:)``.
    ///
    /// - Parameters:
    ///   - path: The database file.
    ///   - busyTimeoutSeconds: How long calls wait for other processes' locks.
    /// - Returns: The open store; ``readOnlyReason`` says whether it can write.
    /// - Throws: ``RunStoreError``, as ``open(path:busyTimeoutSeconds:)``; a read-only file of
    ///   an older schema is refused, since upgrading it would write to it.
    public static func openForReading(path: String, busyTimeoutSeconds: Double = defaultBusyTimeoutSeconds) throws -> RunDatabase {
        try RunDatabase(path: path, busyTimeoutSeconds: busyTimeoutSeconds, processTable: ProcessTable(), allowingReadOnly: true)
    }

    /// Opens the store with a chosen process table (tests point it at a fixture `/proc`).
    init(path: String, busyTimeoutSeconds: Double, processTable: ProcessTable, allowingReadOnly: Bool = false) throws {
        self.path = path
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.processTable = processTable
        self.hostName = ProcessIdentity.currentHostName()
        let inspector = DatabaseInspector(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        let (state, readOnlyReason) = try inspector.inspect(allowingReadOnly: allowingReadOnly)
        self.readOnlyReason = readOnlyReason
        if let readOnlyReason {
            pool = try Self.openReadOnly(inspector, state: state, reason: readOnlyReason)
            return
        }
        var configuration = Configuration()
        configuration.label = "Footprint"
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.foreignKeysEnabled = true
        do {
            let writable = try Self.openPool(path: path, configuration: configuration, busyTimeoutSeconds: busyTimeoutSeconds)
            try RunSchema.migrate(writable, path: path)
            pool = writable
        } catch {
            throw RunStoreError.wrapping(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// One read-only connection to a file that cannot be written, as immutable when no `-wal`
    /// exists (nobody can be writing it, and SQLite could not make its `-shm` in a read-only
    /// directory).
    private static func openReadOnly(_ inspector: DatabaseInspector, state: DatabaseFileState, reason: String) throws -> DatabaseQueue {
        let path = inspector.path
        guard case .footprint(let applied) = state, Set(applied).isSuperset(of: RunSchema.identifiers) else {
            throw RunStoreError.unwritable(
                path: path,
                reason: "\(reason), and this build must first upgrade its schema to version \(RunSchema.knownVersion), which writes to it")
        }
        var configuration = Configuration()
        configuration.label = "Footprint"
        configuration.readonly = true
        configuration.busyMode = .timeout(inspector.busyTimeoutSeconds)
        do {
            return try DatabaseQueue(path: inspector.readOnlyLocation(), configuration: configuration)
        } catch {
            throw RunStoreError.wrapping(error, path: path, busyTimeoutSeconds: inspector.busyTimeoutSeconds)
        }
    }

    /// Throws when the store was opened read-only: commands that write call it before they
    /// ask anything of the user.
    ///
    /// - Throws: ``RunStoreError/unwritable(path:reason:)`` naming why.
    public func requireWritable() throws {
        if let readOnlyReason { throw RunStoreError.unwritable(path: path, reason: readOnlyReason) }
    }

    /// Opens the pool, which switches a new file to WAL. `PRAGMA journal_mode = WAL` writes the
    /// header from inside a read transaction, and SQLite never calls the busy handler to
    /// upgrade a read lock (that could deadlock): while another process holds the write lock,
    /// switching the same new file, the pragma fails with SQLITE_BUSY at once. Processes opening
    /// a new file together would fail in milliseconds, so opening is tried again here until the
    /// busy timeout has passed, as a write would wait.
    private static func openPool(path: String, configuration: Configuration, busyTimeoutSeconds: Double) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeoutSeconds)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }

    /// Closes the database. When no other process has it open, the write-ahead log is
    /// checkpointed into the file and the `-wal` and `-shm` files are removed, so the file can
    /// be copied on its own.
    ///
    /// - Throws: ``RunStoreError`` when a statement is still running.
    public func close() throws {
        // GRDB closes the writer before the readers, and a read-only connection closing last
        // cannot checkpoint: close the readers first so the writer's close cleans up.
        (pool as? DatabasePool)?.releaseMemory()
        try perform { try pool.close() }
    }

    /// Runs `body`, translating GRDB and SQLite errors into ``RunStoreError``.
    func perform<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY && readOnlyReason != nil {
            throw RunStoreError.unwritable(path: path, reason: "Footprint opened it read-only: \(readOnlyReason ?? "")")
        } catch {
            throw RunStoreError.wrapping(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound database, SQLite's findings otherwise.
    ///
    /// - Returns: The lines SQLite reports.
    /// - Throws: ``RunStoreError`` when the check cannot run.
    public func integrityCheck() throws -> [String] {
        try perform { try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } }
    }
}
