import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an existing path holds, found without writing a byte to it.
enum DatabaseFileState: Equatable {
    /// Nothing there yet; the directory is writable.
    case absent
    /// An empty file or an SQLite database without tables: safe to make a Footprint database
    /// (another process may be making it one at this moment).
    case empty
    /// A Footprint database whose applied migrations this build knows.
    case footprint(appliedMigrations: [String])
}

/// Checks a database path before the store opens it for writing: the store must never run
/// migrations on, switch to WAL, or otherwise touch a file that is not its own, a damaged
/// database, or one written by a newer Footprint. Reads the 100-byte SQLite header itself, then
/// opens the file read-only to look at its tables.
struct DatabaseInspector {
    /// The database path.
    let path: String
    /// How long the read-only look waits for a writer's lock.
    var busyTimeoutSeconds: Double = 10

    /// "SQLite format 3" and a NUL: the first 16 bytes of every SQLite 3 database.
    static let sqliteMagic: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// Finds what `path` holds, for a store that writes.
    ///
    /// - Returns: The state of the path when the store may open it for writing.
    /// - Throws: ``RunStoreError`` when it must not: not SQLite, another application's
    ///   database, damaged, newer schema, or not writable.
    func inspect() throws -> DatabaseFileState {
        try inspect(allowingReadOnly: false).state
    }

    /// Finds what `path` holds. Nothing is opened for writing here: a Footprint database the
    /// store may write is first read through by `PRAGMA quick_check`, so a damaged page is
    /// found before any write could touch the file.
    ///
    /// - Parameter allowingReadOnly: Whether an existing Footprint database that cannot be
    ///   written (a read-only file, directory or mount) may be opened read-only.
    /// - Returns: The state, and why the file cannot be written when it is to be read only.
    /// - Throws: ``RunStoreError`` when the store must not open it.
    func inspect(allowingReadOnly: Bool) throws -> (state: DatabaseFileState, readOnlyReason: String?) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            guard code == ENOENT else { throw RunStoreError.unwritable(path: path, reason: describe(code)) }
            try requireWritableDirectory()
            return (.absent, nil)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw RunStoreError.unwritable(path: path, reason: "it is a directory, not a database file")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw RunStoreError.notSQLite(path: path) }
        let size = Int64(info.st_size)
        let header = try readHeader()
        if size == 0 {
            try requireWritable()
            return (.empty, nil)
        }
        try checkHeader(header, fileSize: size)
        let state = try inspectReadOnly()
        do {
            try requireWritable()
        } catch RunStoreError.unwritable(_, let reason) where allowingReadOnly {
            guard case .footprint = state else { throw RunStoreError.unwritable(path: path, reason: reason) }
            return (state, reason)
        }
        if case .footprint = state { try checkPages() }
        return (state, nil)
    }

    /// `PRAGMA quick_check` on a read-only connection: every page of every table and index is
    /// read and its structure checked (a 30 MB file takes about 0.1 s). Read as immutable when
    /// no connection has the file open (see ``readOnlyLocation()``), so a damaged file gets no
    /// `-wal` or `-shm` beside it; should a writer have opened it meanwhile (a `-wal` appeared),
    /// findings are confirmed on an ordinary read-only connection before the file is refused.
    private func checkPages() throws {
        var findings = try quickCheck(at: readOnlyLocation())
        if findings != ["ok"] && hasWriteAheadLog() { findings = try quickCheck(at: path) }
        guard findings != ["ok"] else { return }
        let lines = findings.flatMap { $0.split(separator: "\n") }.filter { !$0.hasPrefix("*** in database") }
        let first = lines.first.map(String.init) ?? "no detail"
        let more = lines.count > 1 ? " and \(lines.count - 1) more findings" : ""
        throw RunStoreError.corrupted(path: path, detail: "SQLite's quick_check: \(first)\(more)")
    }

    private func quickCheck(at location: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "Footprint check"
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            let findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            try queue.close()
            return findings
        } catch {
            throw RunStoreError.wrapping(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// Rejects a file that is not SQLite or whose header shows it was cut short.
    private func checkHeader(_ header: [UInt8], fileSize: Int64) throws {
        let magic = Self.sqliteMagic
        if header.count < magic.count {
            guard header.elementsEqual(magic.prefix(header.count)) else { throw RunStoreError.notSQLite(path: path) }
            throw RunStoreError.corrupted(path: path, detail: "only \(fileSize) bytes, cut off inside the SQLite header")
        }
        guard header.prefix(magic.count).elementsEqual(magic) else { throw RunStoreError.notSQLite(path: path) }
        guard header.count >= 100 else {
            throw RunStoreError.corrupted(path: path, detail: "\(fileSize) bytes, shorter than the 100-byte SQLite header")
        }
        let rawPageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            throw RunStoreError.corrupted(path: path, detail: "invalid page size \(rawPageSize) in its header")
        }
        // While a write-ahead log exists, a checkpoint may be growing the file: sizes prove nothing.
        guard !hasWriteAheadLog() else { return }
        // The header's page count is only valid when its "version-valid-for" matches the change counter.
        guard header[92..<96].elementsEqual(header[24..<28]) else { return }
        let pageCount = bigEndian(header, at: 28)
        let expected = pageCount * pageSize
        if pageCount > 0 && fileSize < expected {
            throw RunStoreError.corrupted(
                path: path,
                detail: "the file is \(fileSize) bytes but its header describes \(pageCount) pages of "
                    + "\(pageSize) bytes (\(expected) bytes): it was truncated")
        }
    }

    /// Opens the file read-only and decides whether it is a Footprint database. A file that
    /// looks half-created (see ``SchemaFacts/Owner/beingCreated``) is looked at again until
    /// it changes or the busy timeout passes, as a write would wait for the creator's lock;
    /// one that stays so is refused like any other application's database.
    private func inspectReadOnly() throws -> DatabaseFileState {
        let deadline = Date().addingTimeInterval(busyTimeoutSeconds)
        var facts = try readFacts()
        while facts.owner == .beingCreated && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            facts = try readFacts()
        }
        switch facts.owner {
        case .footprint:
            try facts.requireKnownMigrations(path: path)
            return .footprint(appliedMigrations: facts.migrations)
        case .empty:
            return .empty
        case .beingCreated, .foreign:
            throw RunStoreError.foreignDatabase(path: path, tables: facts.tables)
        }
    }

    /// One read-only look at the file's mark, tables and migrations.
    private func readFacts() throws -> SchemaFacts {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "Footprint inspection"
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: readOnlyLocation(), configuration: configuration)
            let facts = try queue.read(SchemaFacts.read)
            try queue.close()
            return facts
        } catch {
            throw RunStoreError.wrapping(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// Where to open the file for inspection. A read-only connection to a WAL-mode database
    /// creates `-wal` and `-shm` files beside it; when no `-wal` exists no connection has the
    /// file open, so it is read as immutable (a URI, where this SQLite accepts them) and
    /// nothing at all appears in the directory.
    func readOnlyLocation() -> String {
        guard !FileManager.default.fileExists(atPath: path + "-wal"), Self.sqliteAcceptsURIs else { return path }
        var encoded = ""
        for character in path {
            switch character {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.append(character)
            }
        }
        return "file:" + encoded + "?mode=ro&immutable=1"
    }

    /// Whether this SQLite library treats `file:` paths as URIs (compiled with `SQLITE_USE_URI`,
    /// as Debian's and Ubuntu's are; GRDB does not pass `SQLITE_OPEN_URI`). Where it does not,
    /// inspection falls back to a plain read-only open, which may leave `-wal`/`-shm` beside a
    /// WAL-mode file (the database file itself is still not written).
    private static let sqliteAcceptsURIs: Bool = {
        let answer = try? DatabaseQueue().read { db in
            try Bool.fetchOne(db, sql: "SELECT sqlite_compileoption_used('USE_URI')")
        }
        return (answer ?? nil) ?? false
    }()

    /// The first 100 bytes of the file (fewer when it is shorter).
    private func readHeader() throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RunStoreError.unwritable(path: path, reason: "cannot read it: " + describe(errno))
        }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 100)
        var filled = 0
        while filled < header.count {
            let count = header.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + filled, buffer.count - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(header.prefix(filled))
    }

    private func hasWriteAheadLog() -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    private func requireWritable() throws {
        guard access(path, W_OK) == 0 else {
            throw RunStoreError.unwritable(path: path, reason: "the file is read-only (" + describe(errno) + ")")
        }
        try requireWritableDirectory()
    }

    /// SQLite needs to create `-wal` and `-shm` files beside the database.
    private func requireWritableDirectory() throws {
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RunStoreError.unwritable(path: path, reason: "the directory \(folder) does not exist")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw RunStoreError.unwritable(
                path: path,
                reason: "the directory \(folder) is not writable (SQLite creates its "
                    + "-wal and -shm files there)")
        }
    }

    private func bigEndian(_ bytes: [UInt8], at offset: Int) -> Int64 {
        bytes[offset..<(offset + 4)].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    private func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
