/// Wall seconds spent in each phase, measured with the monotonic clock: an epoch's or a run's
/// time by phase, as the trainer measures it and the tracker stores it.
public struct PhaseSeconds: Sendable, Equatable, Codable {
    /// Seconds per phase, indexed by `Phase.rawValue`.
    @usableFromInline var values: [Double] = Array(repeating: 0, count: Phase.allCases.count)

    /// No time in any phase.
    public init() {}

    /// Seconds per phase, indexed by `Phase.rawValue`.
    public var seconds: [Double] { values }

    /// Seconds spent in `phase`.
    @inlinable
    public subscript(phase: Phase) -> Double {
        get { values[phase.rawValue] }
        set { values[phase.rawValue] = newValue }
    }

    /// Sum over phases.
    public var total: Double { values.reduce(0, +) }

    /// Adds another measurement.
    public mutating func merge(_ other: PhaseSeconds) {
        for index in values.indices { values[index] += other.values[index] }
    }

    /// Runs `body`, adding its duration to `phase`.
    ///
    /// Inlinable: the trainer measures four phases per minibatch, and a call across modules
    /// would keep the closure from being inlined into its loop.
    @inlinable
    public mutating func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = Clocks.monotonicSeconds()
        defer { values[phase.rawValue] += Clocks.monotonicSeconds() - start }
        return try body()
    }

    /// The encoded key, as before the type moved to Vocabulary.
    enum CodingKeys: String, CodingKey {
        case values = "seconds"
    }
}
