import Energy
import Foundation
import Synchronization

/// CPU seconds of a wrapped child while it runs: utime + stime of the child and of its reaped
/// descendants (cutime + cstime), from `/proc/<pid>/stat`, in clock ticks.
///
/// `getrusage(RUSAGE_CHILDREN)` only counts a child once it has been waited for, so it cannot
/// tell the estimate and the watchdog how busy a running program is; this can. Descendants
/// still running are not in it (they show in the machine's load instead). After the child is
/// gone the last value read is kept.
final class ChildProcessCPU: Sendable {
    private let state = Mutex<(pid: Int32, lastSeconds: Double)>((0, 0))
    private let files: SystemFiles

    init(files: SystemFiles = SystemFiles()) {
        self.files = files
    }

    /// Starts following `pid`.
    func follow(_ pid: Int32) {
        state.withLock { $0 = (pid, 0) }
    }

    /// CPU seconds of the followed child so far (0 before it starts).
    func seconds() -> Double {
        let pid = state.withLock { $0.pid }
        guard pid > 0, let text = try? files.readString("/proc/\(pid)/stat"), let value = Self.parse(text) else {
            return state.withLock { $0.lastSeconds }
        }
        return state.withLock { current in
            current.lastSeconds = max(current.lastSeconds, value)
            return current.lastSeconds
        }
    }

    /// utime + stime + cutime + cstime of a `/proc/<pid>/stat` line, in seconds. The command
    /// name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.
    static func parse(_ text: String) -> Double? {
        // On the UTF-8 bytes: the sampler reads this file at every sample, and Character-wise
        // splitting cost it more than the read.
        let bytes = text.utf8
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[bytes.index(after: close)...].split(separator: UInt8(ascii: " "))
        // After the name: state is field 3, so utime (14) … cstime (17) are at offsets 11…14.
        guard fields.count > 14 else { return nil }
        let ticks = fields[11...14].compactMap { Double(String(decoding: $0, as: UTF8.self)) }
        guard ticks.count == 4 else { return nil }
        return ticks.reduce(0, +) / Self.ticksPerSecond
    }

    static let ticksPerSecond: Double = {
        let value = sysconf(Int32(_SC_CLK_TCK))
        return value > 0 ? Double(value) : 100
    }()
}
