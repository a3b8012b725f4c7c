import Foundation

/// Disk space set aside beside a run database while a run records, so that the run's end can
/// still be written when the disk fills up under it.
///
/// A full filesystem refuses the write-ahead log every page, the run's final row included, and
/// a run whose end cannot be written is later listed as crashed. A file of a few MiB allocated
/// when the run starts is given back (deleted) when a write fails, which leaves the final row
/// room. The file is `DATABASE.reserve-HOST-PID`; one left by a process killed with SIGKILL is
/// removed by the next reserve made on the same host.
public final class SpaceReserve: Sendable {
    /// The reserve file's path.
    public let path: String

    /// The space set aside by default: room for a run's final row, its notes and the last
    /// samples, with the write-ahead log's page overhead.
    public static let defaultBytes = 4 << 20

    /// Allocates `bytes` beside the database at `databasePath`.
    ///
    /// - Parameters:
    ///   - databasePath: The SQLite file the run records into.
    ///   - bytes: The space to set aside.
    /// - Returns: The reserve, or nil when the space cannot be had (the disk is already full,
    ///   the directory is not writable): the run then goes on without one.
    public static func make(besideDatabaseAt databasePath: String, bytes: Int = defaultBytes) -> SpaceReserve? {
        let host = ProcessInfo.processInfo.hostName.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
        let prefix = "\(databasePath).reserve-\(host)-"
        removeAbandoned(withPrefix: prefix)
        let path = prefix + "\(getpid())"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // posix_fallocate reserves blocks without writing them; it returns the error number.
        guard posix_fallocate(descriptor, 0, off_t(bytes)) == 0 else {
            unlink(path)
            return nil
        }
        return SpaceReserve(path: path)
    }

    private init(path: String) { self.path = path }

    /// Deletes the reserve, giving its space back; harmless when already released.
    public func release() { unlink(path) }

    deinit { release() }

    /// Removes reserves of this host whose process is gone.
    private static func removeAbandoned(withPrefix prefix: String) {
        let url = URL(fileURLWithPath: prefix)
        let directory = url.deletingLastPathComponent().path
        let stem = url.lastPathComponent
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(stem) {
            guard let pid = Int32(name.dropFirst(stem.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }
}
