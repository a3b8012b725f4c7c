import Foundation
import Vocabulary

/// Runs a program to its end with its output discarded and reports what it cost: wall time
/// and the CPU time `wait4` reports for it (its own and its waited-for children's).
struct SubprocessCost: Sendable {
    /// What one run cost.
    struct Result: Sendable {
        var wallSeconds: Double
        var cpuSeconds: Double
        var exitStatus: Int32
        /// CPU seconds of each of the program's threads, by thread name, read from
        /// `/proc/PID/task/*/schedstat` at the moments `threadSnapshotsAt` asked for.
        var threadSnapshots: [[String: Double]] = []
    }

    var arguments: [String]
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Starts the program, reads its threads' CPU time at each of `threadSnapshotsAt` seconds
    /// after the start (while it still runs), and waits for it.
    ///
    /// - Returns: The cost, or nil when the program could not be started.
    func run(threadSnapshotsAt moments: [Double] = []) -> Result? {
        guard let program = arguments.first else { return nil }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let start = Clocks.monotonicSeconds()
        guard posix_spawnp(&pid, program, &actions, nil, argv, envp) == 0 else { return nil }
        var snapshots: [[String: Double]] = []
        for moment in moments.sorted() {
            let wait = start + moment - Clocks.monotonicSeconds()
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            snapshots.append(Self.threadCPUSeconds(pid: pid))
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return nil }
        }
        let wall = Clocks.monotonicSeconds() - start
        let cpu =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(wallSeconds: wall, cpuSeconds: cpu, exitStatus: exit, threadSnapshots: snapshots)
    }

    /// CPU seconds of every thread of `pid` by name (summed over threads of one name), from
    /// the nanosecond run time in `/proc/PID/task/TID/schedstat`.
    static func threadCPUSeconds(pid: pid_t) -> [String: Double] {
        let base = "/proc/\(pid)/task"
        var seconds: [String: Double] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            guard
                let name = try? String(contentsOfFile: "\(base)/\(task)/comm", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines),
                let schedstat = try? String(contentsOfFile: "\(base)/\(task)/schedstat", encoding: .utf8),
                let nanoseconds = schedstat.split(separator: " ").first.flatMap({ Double($0) })
            else { continue }
            seconds[name, default: 0] += nanoseconds / 1e9
        }
        return seconds
    }
}
