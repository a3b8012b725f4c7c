/// Shape, parameter and FLOP rules, per sample.
///
/// With Ho×Wo×Co the output and Hi×Wi×Ci the input:
///
/// | layer   | parameters      | forward MACs        | forward FLOPs                 | backward FLOPs |
/// |---------|-----------------|---------------------|-------------------------------|----------------|
/// | Conv2D  | k·k·Ci·Co + Co  | Ho·Wo·Co·k·k·Ci     | 2·MACs + Ho·Wo·Co (bias adds) | ∂W 2·MACs + ∂b Ho·Wo·Co [+ ∂X 2·MACs] |
/// | Dense   | I·O + O         | I·O                 | 2·I·O + O                     | ∂W 2·I·O + ∂b O [+ ∂X 2·I·O] |
/// | MaxPool | 0               | 0                   | Ho·Wo·C·(k·k − 1) comparisons | [Ho·Wo·C: one add routing each gradient to its window's maximum; windows overlap] |
/// | ReLU    | 0               | 0                   | one comparison per element    | [one per element: the mask] |
/// | Flatten | 0               | 0                   | 0                             | 0 |
///
/// Terms in brackets count only when the input gradient is computed: never for a layer with no
/// trainable layer before it (AlexNet's conv1, an MLP's first Linear), as `Sequential` does and
/// `FlopLedger`'s convention prescribes. A backward convolution is counted like the forward one, 2 FLOPs
/// per multiply-add for each of ∂W and ∂X, which is what the Linear layer's ledger does for
/// matrix products (DeepSpeed's "backward = 2 × forward").
extension LayerSpec {
    /// The output shape for `input`.
    ///
    /// - Parameter input: The layer's input shape.
    /// - Returns: The output shape.
    /// - Throws: `LearningError.invalidHyperparameter` for a non-positive size, a window larger
    ///   than its (padded) input, or a dense layer fed a feature map that was not flattened.
    public func outputShape(for input: FeatureMapShape) throws(LearningError) -> FeatureMapShape {
        switch self {
        case let .conv2D(channels, kernel, stride, padding):
            try Self.require(channels >= 1, "output channels", channels, "must be at least 1")
            try Self.require(kernel >= 1, "kernel size", kernel, "must be at least 1")
            try Self.require(stride >= 1, "stride", stride, "must be at least 1")
            try Self.require(padding >= 0, "padding", padding, "must be 0 or more")
            let height = try Self.slide(input.height + 2 * padding, window: kernel, stride: stride, what: "convolution kernel")
            let width = try Self.slide(input.width + 2 * padding, window: kernel, stride: stride, what: "convolution kernel")
            return FeatureMapShape(height: height, width: width, channels: channels)
        case let .maxPool(window, stride):
            try Self.require(window >= 1, "pooling window", window, "must be at least 1")
            try Self.require(stride >= 1, "pooling stride", stride, "must be at least 1")
            let height = try Self.slide(input.height, window: window, stride: stride, what: "pooling window")
            let width = try Self.slide(input.width, window: window, stride: stride, what: "pooling window")
            return FeatureMapShape(height: height, width: width, channels: input.channels)
        case .flatten:
            return .vector(input.elementCount)
        case let .dense(outputs):
            try Self.require(outputs >= 1, "dense width", outputs, "must be at least 1")
            guard input.isVector else {
                throw LearningError.invalidHyperparameter(
                    name: "dense layer input", value: input.description,
                    allowed: "a dense layer takes a vector: put a flatten layer after the last convolution or pooling")
            }
            return .vector(outputs)
        case .relu:
            return input
        }
    }

    /// Parameters, MACs and FLOPs of one sample through this layer.
    ///
    /// - Parameters:
    ///   - input: The layer's input shape.
    ///   - index: Position in the architecture (for the name).
    ///   - name: The layer's name in summaries.
    ///   - computesInputGradient: Whether training back-propagates through to the input.
    /// - Returns: The layer's cost.
    /// - Throws: What `outputShape(for:)` throws.
    public func cost(
        for input: FeatureMapShape, index: Int, name: String, computesInputGradient: Bool
    ) throws(LearningError) -> LayerCostEstimate {
        let output = try outputShape(for: input)
        let outputCount = output.elementCount
        var parameters = 0, macs = 0, elementwiseForward = 0, elementwiseBackward = 0
        switch self {
        case let .conv2D(channels, kernel, _, _):
            parameters = kernel * kernel * input.channels * channels + channels
            macs = output.height * output.width * channels * kernel * kernel * input.channels
            elementwiseForward = outputCount  // bias adds
            elementwiseBackward = outputCount  // ∂b
        case let .dense(outputs):
            parameters = input.channels * outputs + outputs
            macs = input.channels * outputs
            elementwiseForward = outputs
            elementwiseBackward = outputs
        case let .maxPool(window, _):
            elementwiseForward = outputCount * (window * window - 1)
            elementwiseBackward = computesInputGradient ? outputCount : 0
        case .relu:
            elementwiseForward = outputCount
            elementwiseBackward = computesInputGradient ? outputCount : 0
        case .flatten:
            break
        }
        // ∂W always; ∂X only when something upstream needs it.
        let backwardMatmul = 2 * macs + (computesInputGradient ? 2 * macs : 0)
        return LayerCostEstimate(
            index: index, name: name, kind: kindName, hyperparameters: hyperparameterText,
            inputShape: input, outputShape: output, parameters: parameters, forwardMACs: macs,
            forwardFlops: 2 * macs + elementwiseForward, forwardMatmulFlops: 2 * macs,
            backwardFlops: backwardMatmul + elementwiseBackward, backwardMatmulFlops: backwardMatmul,
            computesInputGradient: computesInputGradient)
    }

    private static func require(_ condition: Bool, _ name: String, _ value: Int, _ allowed: String) throws(LearningError) {
        guard condition else { throw LearningError.invalidHyperparameter(name: name, value: "\(value)", allowed: allowed) }
    }

    /// Positions of a window sliding over `size` values: ⌊(size − window) / stride⌋ + 1, as
    /// PyTorch and Caffe compute it for convolutions.
    private static func slide(_ size: Int, window: Int, stride: Int, what: String) throws(LearningError) -> Int {
        guard size >= window else {
            throw LearningError.invalidHyperparameter(
                name: what, value: "\(window)",
                allowed: "must not exceed its input (\(size) after padding): use a smaller window or a larger input")
        }
        return (size - window) / stride + 1
    }
}
