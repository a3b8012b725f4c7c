/// Floating-point operations of one epoch or run, by phase, counted as the kernels ran them
/// (2 per multiply-add, as PyTorch's FlopCounterMode counts).
public struct PhaseFlops: Sendable, Equatable, Codable {
    public var forward: Int
    public var backward: Int
    public var optimizer: Int
    public var evaluation: Int

    /// Creates the counts.
    ///
    /// - Parameters:
    ///   - forward: Forward passes over training data.
    ///   - backward: Backward passes.
    ///   - optimizer: Optimizer steps.
    ///   - evaluation: Evaluating metrics.
    public init(forward: Int, backward: Int, optimizer: Int, evaluation: Int) {
        self.forward = forward
        self.backward = backward
        self.optimizer = optimizer
        self.evaluation = evaluation
    }

    /// Every phase together.
    public var total: Int { forward + backward + optimizer + evaluation }
}
