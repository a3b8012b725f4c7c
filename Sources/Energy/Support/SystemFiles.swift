#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one door through which Energy reads `/sys` and `/proc`.
///
/// Every path handed to it is an absolute system path (`/sys/class/powercap/intel-rapl:0/name`);
/// the seam prefixes `root`, so tests point it at a fixture tree. Tests run as root, where
/// `chmod` denies nothing, so `deniedPaths` lets a test make a given system path fail with
/// EACCES exactly as an unprivileged read of `energy_uj` fails since CVE-2020-8694.
package struct SystemFiles: Sendable, Equatable {
    /// Prefix applied to every system path; "/" reads the real machine.
    package var root: String
    /// System paths (before `root` is applied) whose reads fail with EACCES.
    package var deniedPaths: Set<String>
    /// Paths a test can deny while a run is going (permission lost mid-run), shared by every
    /// copy of this seam.
    package var laterDenials: LaterDenials?

    package init(root: String = "/", deniedPaths: Set<String> = [], laterDenials: LaterDenials? = nil) {
        self.root = root
        self.deniedPaths = deniedPaths
        self.laterDenials = laterDenials
    }

    /// The path on disk that backs `systemPath`.
    package func hostPath(_ systemPath: String) -> String {
        if root == "/" || root.isEmpty { return systemPath }
        let trimmedRoot = root.hasSuffix("/") ? String(root.dropLast()) : root
        return systemPath.hasPrefix("/") ? trimmedRoot + systemPath : trimmedRoot + "/" + systemPath
    }

    /// Reads a whole small file (sysfs attributes, /proc/stat) as text.
    ///
    /// - Throws: `EnergyError.fileUnreadable` with the errno (EACCES, ENOENT …).
    package func readString(_ systemPath: String) throws(EnergyError) -> String {
        if deniedPaths.contains(systemPath) || laterDenials?.contains(systemPath) == true {
            throw EnergyError.fileUnreadable(path: systemPath, errorNumber: EACCES)
        }
        let fd = open(hostPath(systemPath), O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw EnergyError.fileUnreadable(path: systemPath, errorNumber: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw EnergyError.fileUnreadable(path: systemPath, errorNumber: errno)
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a file holding one unsigned integer (`energy_uj`, `type`), ignoring whitespace.
    ///
    /// - Throws: `EnergyError.fileUnreadable`, or `.malformedValue` when it is not a number.
    package func readUInt64(_ systemPath: String) throws(EnergyError) -> UInt64 {
        let text = try readString(systemPath).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = UInt64(text) else {
            throw EnergyError.malformedValue(path: systemPath, text: String(text.prefix(40)), expected: "an unsigned integer")
        }
        return value
    }

    /// Reads a one-line text attribute (`name`, `.unit`) without its trailing newline.
    package func readLine(_ systemPath: String) throws(EnergyError) -> String {
        try readString(systemPath).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Entry names of a directory, sorted; empty when it does not exist.
    package func entries(of systemPath: String) -> [String] {
        if deniedPaths.contains(systemPath) { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: hostPath(systemPath))) ?? []
        return names.sorted()
    }

    /// Whether something exists at `systemPath` (a denied path still exists).
    package func exists(_ systemPath: String) -> Bool {
        deniedPaths.contains(systemPath) || FileManager.default.fileExists(atPath: hostPath(systemPath))
    }
}

/// A set of denied paths that can change while meters are open; lock-guarded, compared by
/// identity so `SystemFiles` stays `Equatable`.
package final class LaterDenials: @unchecked Sendable, Equatable {
    // Guarded by `lock`: a test thread adds paths while the sampler thread reads.
    private let lock = NSLock()
    private var paths: Set<String> = []

    package init() {}

    /// Makes reads of `systemPath` fail with EACCES from now on.
    package func deny(_ systemPath: String) {
        lock.withLock { _ = paths.insert(systemPath) }
    }

    func contains(_ systemPath: String) -> Bool {
        lock.withLock { paths.contains(systemPath) }
    }

    package static func == (lhs: LaterDenials, rhs: LaterDenials) -> Bool { lhs === rhs }
}
