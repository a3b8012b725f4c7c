#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Learning
import Vocabulary
import Statistics

/// How benchmarks time work on a noisy, shared machine.
package enum BenchmarkTiming {
    /// Runs `body` repeatedly for at least `seconds`, `rounds` times, and returns the best
    /// round's seconds per call: the figure least disturbed by other processes, which is what
    /// throughput comparisons run side by side need. One untimed call warms caches first.
    ///
    /// - Parameters:
    ///   - seconds: Minimum duration of one round.
    ///   - rounds: Rounds to take the best of.
    ///   - body: The work to time.
    /// - Returns: Seconds per call of the best round.
    package static func bestSecondsPerCall(seconds: Double, rounds: Int = 3, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<max(rounds, 1) {
            var calls = 0
            let start = Clocks.monotonicSeconds()
            var elapsed = 0.0
            repeat {
                body()
                calls += 1
                elapsed = Clocks.monotonicSeconds() - start
            } while elapsed < seconds
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    /// CPU seconds of the calling thread (user + system).
    package static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// The median of `values` (0 for none).
    package static func median(_ values: [Double]) -> Double {
        RepeatStatistics.median(values) ?? 0
    }
}
