#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on CLOCK_MONOTONIC: never jumps with NTP or a user setting the date, unlike the
/// wall clock, so every duration and power figure in Energy is computed from it.
package enum MonotonicClock {
    package static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
