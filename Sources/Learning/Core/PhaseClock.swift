import Vocabulary
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall seconds spent in each phase, measured with the monotonic clock.
public struct PhaseSeconds: Sendable, Equatable, Codable {
    /// Seconds per phase, indexed by `Phase.rawValue`.
    public private(set) var seconds: [Double] = Array(repeating: 0, count: Phase.allCases.count)

    public init() {}

    /// Seconds spent in `phase`.
    public subscript(phase: Phase) -> Double {
        get { seconds[phase.rawValue] }
        set { seconds[phase.rawValue] = newValue }
    }

    /// Sum over phases.
    public var total: Double { seconds.reduce(0, +) }

    /// Adds another measurement.
    public mutating func merge(_ other: PhaseSeconds) {
        for index in seconds.indices { seconds[index] += other.seconds[index] }
    }

    /// Runs `body`, adding its duration to `phase`.
    @inline(__always)
    public mutating func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = Clocks.monotonicSeconds()
        defer { seconds[phase.rawValue] += Clocks.monotonicSeconds() - start }
        return try body()
    }
}
