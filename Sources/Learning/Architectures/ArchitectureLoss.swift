/// The loss an architecture is trained with, for its per-sample FLOPs.
public enum ArchitectureLoss: String, Sendable, Hashable, Codable {
    /// Softmax cross-entropy over K classes (`SoftmaxCrossEntropy`): forward 4K + 2, gradient 3K.
    case softmaxCrossEntropy
    /// Mean squared error over K outputs (`MeanSquaredError`): forward 3K, gradient 2K.
    case meanSquaredError

    /// Forward FLOPs per sample for `outputs` model outputs.
    public func forwardFlops(outputs: Int) -> Int {
        switch self {
        case .softmaxCrossEntropy: 4 * outputs + 2
        case .meanSquaredError: 3 * outputs
        }
    }

    /// Gradient FLOPs per sample for `outputs` model outputs.
    public func backwardFlops(outputs: Int) -> Int {
        switch self {
        case .softmaxCrossEntropy: 3 * outputs
        case .meanSquaredError: 2 * outputs
        }
    }
}
