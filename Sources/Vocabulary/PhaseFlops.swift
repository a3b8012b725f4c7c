/// Floating-point operations of one epoch or run, by phase, counted as the kernels ran them
/// (2 per multiply-add, as PyTorch's FlopCounterMode counts).
///
/// Gathering data does no arithmetic, so `.data` holds 0 unless a caller says otherwise; it is
/// encoded only when it does not.
public struct PhaseFlops: Sendable, Equatable, Codable {
    /// FLOPs per phase, indexed by `Phase.rawValue`.
    private var counts: [Int] = Array(repeating: 0, count: Phase.allCases.count)

    /// No FLOPs in any phase.
    public init() {}

    /// Creates the counts of the phases that do arithmetic.
    ///
    /// - Parameters:
    ///   - forward: Forward passes over training data.
    ///   - backward: Backward passes.
    ///   - optimizer: Optimizer steps.
    ///   - evaluation: Evaluating metrics.
    public init(forward: Int, backward: Int, optimizer: Int, evaluation: Int) {
        self[.forward] = forward
        self[.backward] = backward
        self[.optimizer] = optimizer
        self[.evaluation] = evaluation
    }

    /// FLOPs of `phase`.
    public subscript(phase: Phase) -> Int {
        get { counts[phase.rawValue] }
        set { counts[phase.rawValue] = newValue }
    }

    /// Every phase together.
    public var total: Int { counts.reduce(0, +) }

    /// The encoded keys: each phase's name, as `Phase.description` spells it.
    private struct PhaseKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ phase: Phase) { stringValue = phase.description }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PhaseKey.self)
        for phase in Phase.allCases {
            self[phase] = try container.decodeIfPresent(Int.self, forKey: PhaseKey(phase)) ?? 0
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PhaseKey.self)
        for phase in Phase.allCases where phase != .data || self[phase] != 0 {
            try container.encode(self[phase], forKey: PhaseKey(phase))
        }
    }
}
