#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clocks every duration is read from: the monotonic clock (never jumps with NTP or a
/// user setting the date, unlike the wall clock) and this process's CPU time.
public enum Clocks {
    /// Seconds on CLOCK_MONOTONIC since an arbitrary origin.
    @inlinable
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// CPU seconds (user + system) used by this process so far, all threads, from
    /// CLOCK_PROCESS_CPUTIME_ID (nanosecond resolution).
    public static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
