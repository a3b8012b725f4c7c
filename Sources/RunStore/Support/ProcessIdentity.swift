import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is recording a run: host, process id and the process's start time, which together tell
/// a live run from one whose process died (even when the pid has since been reused).
public struct ProcessIdentity: Sendable, Equatable {
    /// The machine's host name.
    public var hostName: String
    /// The process id.
    public var pid: Int32
    /// Start time of the process in clock ticks since boot (`/proc/<pid>/stat` field 22);
    /// nil where `/proc` is not available.
    public var startTicks: Int64?

    /// Creates an identity from its parts.
    ///
    /// - Parameters:
    ///   - hostName: The machine's host name.
    ///   - pid: The process id.
    ///   - startTicks: The process's start time in clock ticks since boot, when known.
    public init(hostName: String, pid: Int32, startTicks: Int64?) {
        self.hostName = hostName
        self.pid = pid
        self.startTicks = startTicks
    }

    /// The identity of the calling process, to store in ``RunRecord/host``,
    /// ``RunRecord/pid`` and ``RunRecord/processStartTicks``.
    ///
    /// - Returns: This machine's host name, this process's pid and start ticks.
    public static func current() -> ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(hostName: currentHostName(), pid: pid, startTicks: ProcessTable().startTicks(of: pid))
    }

    /// This machine's name as runs record it: `FOOTPRINT_HOST` when set (containers whose host
    /// name changes at every start, simulated nodes in tests), else `gethostname(2)`.
    public static func currentHostName(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let name = environment["FOOTPRINT_HOST"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

/// Whether the process that wrote a `running` run still exists.
package enum ProcessLiveness: Sendable, Equatable {
    /// The same process (pid and, where known, start time) is alive.
    case alive
    /// No process has the pid, or the pid now belongs to a process started later.
    case gone
}

/// The seam through which the store asks about processes: the real one reads `kill(pid, 0)` and
/// `/proc/<pid>/stat` under a root path, so tests can point it at a fixture tree.
package struct ProcessTable: Sendable {
    /// The directory that plays the part of `/proc`.
    package var procRoot: String = "/proc"

    /// A table reading `procRoot` (the real `/proc` unless a test gives a fixture).
    package init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Whether the process `pid`, started at `startTicks` when known, is still alive. A zombie
    /// (exited, not yet reaped by its parent) counts as gone: it will never finish the run.
    package func liveness(pid: Int32, startTicks: Int64?) -> ProcessLiveness {
        guard pid > 0 else { return .gone }
        if kill(pid, 0) != 0 && errno == ESRCH { return .gone }
        // EPERM means a process of another user has the pid: alive unless /proc says otherwise.
        guard let stat = self.stat(of: pid) else { return .alive }
        if stat.state == "Z" { return .gone }
        if let startTicks, let current = stat.startTicks, current != startTicks { return .gone }
        return .alive
    }

    /// Field 22 (`starttime`) of `/proc/<pid>/stat`, or nil when it cannot be read.
    func startTicks(of pid: Int32) -> Int64? {
        stat(of: pid)?.startTicks
    }

    /// State (field 3) and start time (field 22) of `/proc/<pid>/stat`.
    private func stat(of pid: Int32) -> (state: Substring, startTicks: Int64?)? {
        guard let text = readSmallFile("\(procRoot)/\(pid)/stat") else { return nil }
        return Self.parseStat(text)
    }

    /// Field 22 of a `/proc/<pid>/stat` line.
    static func parseStartTicks(stat: String) -> Int64? {
        parseStat(stat)?.startTicks
    }

    /// State and start time of a `/proc/<pid>/stat` line. The command name (field 2) is in
    /// parentheses and may itself contain spaces and parentheses, so fields are counted after
    /// the last `)`: field 3 (state) is the first of them, field 22 the 20th.
    static func parseStat(_ stat: String) -> (state: Substring, startTicks: Int64?)? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let state = fields.first else { return nil }
        return (state, fields.count >= 20 ? Int64(fields[19]) : nil)
    }

    /// Reads a small file that may report size 0 (`/proc`), or nil when it cannot be opened.
    private func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
