import Foundation
import Synchronization

/// CPU seconds of the calling thread: what one of Footprint's own threads (the sampler, a
/// flush timer) has cost so far, the figure `getrusage(RUSAGE_THREAD)` gives, read at
/// nanosecond grain from `CLOCK_THREAD_CPUTIME_ID`.
package enum ThreadCPUClock {
    /// CPU seconds used by the calling thread since it started; 0 where the clock is missing.
    package static func seconds() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Gives the calling thread its name in the kernel (`/proc/PID/task/TID/comm`, `top -H`),
    /// cut to the 15 bytes Linux keeps, so its CPU time can be found from outside; Foundation's
    /// `Thread.name` does not reach the kernel on Linux.
    package static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        // pthread_setname_np needs _GNU_SOURCE, which Swift's Glibc does not import; the task's
        // own comm file does the same (Linux 3.17 and later).
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #endif
    }
}

/// What a background thread of Footprint's has cost so far: its CPU seconds and how many times
/// it woke to work. Written by the thread itself after each round, read by anyone.
package final class ThreadCost: Sendable {
    /// One reading of a thread's cost.
    package struct Reading: Sendable, Equatable {
        /// CPU seconds the thread has used since it started.
        package var cpuSeconds = 0.0
        /// Rounds of work it has done (samples taken, flushes made).
        package var rounds = 0
    }

    private let value = Mutex(Reading())

    package init() {}

    /// The cost so far.
    package var reading: Reading { value.withLock { $0 } }

    /// Called by the thread after a round of work: reads its own CPU clock.
    package func recordRound() {
        let seconds = ThreadCPUClock.seconds()
        value.withLock {
            $0.cpuSeconds = seconds
            $0.rounds += 1
        }
    }

    /// Called by the thread as it leaves, so the cost includes its last round and its exit.
    package func recordExit() {
        let seconds = ThreadCPUClock.seconds()
        value.withLock { $0.cpuSeconds = seconds }
    }
}
