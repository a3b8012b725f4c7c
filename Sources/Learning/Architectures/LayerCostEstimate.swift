/// Shapes, parameters and FLOPs of one layer for one sample, as `LayerSpec`'s rules give them.
public struct LayerCostEstimate: Sendable, Hashable, Codable {
    /// Position in the architecture, from 0.
    public var index: Int
    /// `"conv1"`, `"pool1"`, `"fc6"`, `"relu3"` …
    public var name: String
    /// `"Conv2D"`, `"MaxPool"`, `"Flatten"`, `"Dense"` or `"ReLU"`.
    public var kind: String
    /// Compact hyper-parameters (`96@11×11/4`), empty when there are none.
    public var hyperparameters: String
    public var inputShape: FeatureMapShape
    public var outputShape: FeatureMapShape
    /// Trainable parameters (weights and biases).
    public var parameters: Int
    /// Multiply-adds of the forward pass (convolutions and dense layers only).
    public var forwardMACs: Int
    /// Every forward FLOP: 2 per multiply-add plus bias adds and elementwise work.
    public var forwardFlops: Int
    /// The matrix-multiply / convolution share of `forwardFlops` (2 × `forwardMACs`).
    public var forwardMatmulFlops: Int
    /// Every backward FLOP: weight and bias gradients, and the input gradient when computed.
    public var backwardFlops: Int
    /// The matrix-multiply / convolution share of `backwardFlops`.
    public var backwardMatmulFlops: Int
    /// Whether training computes this layer's input gradient (false when no layer before it has
    /// parameters, as for the first convolution).
    public var computesInputGradient: Bool

    /// Forward and backward FLOPs of one training sample.
    public var trainingFlops: Int { forwardFlops + backwardFlops }
}
