import Learning

/// What the calibration runs to measure this machine's throughput for an architecture.
public enum CalibrationWorkload: Sendable, Equatable, CustomStringConvertible {
    /// One `m×k · k×n` product with our kernel, repeated.
    case matmul(m: Int, n: Int, k: Int)
    /// SGD steps of this MLP on synthetic data (`SyntheticTrainingLoop`): the real mix of
    /// matrix products and elementwise work.
    case trainingSteps(MLPArchitecture, batchSize: Int)

    /// Largest MLP (parameters) the calibration trains for real; past it a matrix product of
    /// its widest layer stands in, to keep the calibration short and its memory small.
    static let largestTrainedParameters = 20_000_000

    /// The workload that best represents training `spec`.
    ///
    /// AlexNet: conv2's product as im2col lowers it, 729×256×2400 (27·27 output positions,
    /// 256 filters, 5·5·96 inputs per position), the layer with 39% of its multiply-adds. An MLP
    /// with one hidden width: its own training steps at `batchSize`. Other shapes: the product
    /// of the layer with the most multiply-adds at `batchSize` rows.
    ///
    /// - Parameters:
    ///   - spec: The architecture.
    ///   - cost: Its per-sample cost.
    ///   - batchSize: Samples per step of the projected training.
    /// - Returns: The workload.
    public static func representing(_ spec: ArchitectureSpec, cost: ArchitectureCost, batchSize: Int) -> CalibrationWorkload {
        if spec.name == ArchitectureSpec.alexNet.name { return .matmul(m: 729, n: 256, k: 2400) }
        let dense = cost.layers.filter { $0.kind == "Dense" }
        let hidden = dense.dropLast().map(\.outputShape.channels)
        let batch = min(max(batchSize, 1), 1024)
        if dense.count == cost.layers.filter({ $0.parameters > 0 }).count,
            let first = dense.first, let last = dense.last, Set(hidden).count <= 1,
            cost.parameters <= largestTrainedParameters
        {
            let architecture = MLPArchitecture(
                inputs: first.inputShape.channels, hiddenLayers: hidden.count,
                hiddenWidth: hidden.first ?? 0, outputs: last.outputShape.channels)
            return .trainingSteps(architecture, batchSize: batch)
        }
        let widest = cost.layers.max { $0.forwardMACs < $1.forwardMACs }
        if let widest, widest.kind == "Dense" {
            return .matmul(m: batch, n: min(widest.outputShape.channels, 4096), k: min(widest.inputShape.channels, 16_384))
        }
        return .matmul(m: 1024, n: 1024, k: 1024)
    }

    public var description: String {
        switch self {
        case let .matmul(m, n, k): "matmul \(m)×\(k)·\(k)×\(n)"
        case let .trainingSteps(architecture, batchSize): "SGD steps of \(architecture.description), batch \(batchSize)"
        }
    }
}
