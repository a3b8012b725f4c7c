/// A model to cost without training it: an input shape, layers and a loss.
///
/// ```swift
/// let cost = try ArchitectureSpec.parse("alexnet").cost()
/// cost.parameters            // 62,378,344
/// cost.forwardMACsPerSample  // 1,135,256,096
/// ```
public struct ArchitectureSpec: Sendable, Hashable {
    /// `"alexnet"` or `"mlp:784-256-10"`.
    public var name: String
    /// One sample's input.
    public var inputShape: FeatureMapShape
    public var layers: [LayerSpec]
    public var loss: ArchitectureLoss

    /// Creates an architecture; `cost()` checks that the layers fit together.
    public init(name: String, inputShape: FeatureMapShape, layers: [LayerSpec], loss: ArchitectureLoss) {
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.loss = loss
    }

    /// AlexNet as the lecture cites it (Krizhevsky, Sutskever & Hinton 2012), in its classic
    /// single-stream form on 227×227×3 inputs (Krizhevsky, Sutskever & Hinton 2012): conv1 96@11×11/4, pool 3/2,
    /// conv2 256@5×5 p2, pool, conv3 384@3×3 p1, conv4 384@3×3 p1, conv5 256@3×3 p1, pool,
    /// fc 9216→4096→4096→1000, ReLU after every convolution and hidden FC.
    ///
    /// 62,378,344 parameters (the lecture's "62.3 M") and 1,135,256,096 forward MACs per image.
    /// Local response normalisation and dropout are left out: they have no parameters and only
    /// elementwise work (under 1% of the FLOPs). The paper's two-GPU grouped version has fewer
    /// connections (60,965,224 parameters).
    public static let alexNet = ArchitectureSpec(
        name: "alexnet", inputShape: FeatureMapShape(height: 227, width: 227, channels: 3),
        layers: [
            .conv2D(outputChannels: 96, kernelSize: 11, stride: 4), .relu, .maxPool(windowSize: 3, stride: 2),
            .conv2D(outputChannels: 256, kernelSize: 5, padding: 2), .relu, .maxPool(windowSize: 3, stride: 2),
            .conv2D(outputChannels: 384, kernelSize: 3, padding: 1), .relu,
            .conv2D(outputChannels: 384, kernelSize: 3, padding: 1), .relu,
            .conv2D(outputChannels: 256, kernelSize: 3, padding: 1), .relu, .maxPool(windowSize: 3, stride: 2),
            .flatten,
            .dense(outputs: 4096), .relu, .dense(outputs: 4096), .relu, .dense(outputs: 1000),
        ],
        loss: .softmaxCrossEntropy)

    /// A multilayer perceptron: Dense, ReLU, …, Dense, the layout `MLPArchitecture` builds.
    ///
    /// - Parameter widths: Input width, hidden widths, output width (at least two values).
    /// - Returns: The architecture, trained with softmax cross-entropy when there are several
    ///   outputs and mean squared error for one.
    /// - Throws: `LearningError.invalidHyperparameter` for fewer than two widths or a width below 1.
    public static func mlp(widths: [Int]) throws(LearningError) -> ArchitectureSpec {
        let name = "mlp:" + widths.map(String.init).joined(separator: "-")
        guard widths.count >= 2 else {
            throw LearningError.invalidHyperparameter(
                name: "--arch", value: name, allowed: "an MLP needs an input and an output width, as in mlp:784-256-10")
        }
        if let bad = widths.first(where: { $0 < 1 }) {
            throw LearningError.invalidHyperparameter(name: "--arch", value: name, allowed: "width \(bad) must be at least 1")
        }
        var layers: [LayerSpec] = []
        for (position, width) in widths.dropFirst().enumerated() {
            layers.append(.dense(outputs: width))
            if position < widths.count - 2 { layers.append(.relu) }
        }
        return ArchitectureSpec(
            name: name, inputShape: .vector(widths[0]), layers: layers,
            loss: widths[widths.count - 1] > 1 ? .softmaxCrossEntropy : .meanSquaredError)
    }

    /// Reads `alexnet` or `mlp:IN-H-…-OUT` (case-insensitive, spaces around it ignored).
    ///
    /// - Parameter text: The architecture, as `--arch` takes it.
    /// - Returns: The architecture.
    /// - Throws: `LearningError.invalidHyperparameter` naming what is wrong: an unknown name, an
    ///   empty or non-numeric width, a width below 1 or too large, or a missing output width.
    public static func parse(_ text: String) throws(LearningError) -> ArchitectureSpec {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
        if trimmed == "alexnet" { return alexNet }
        let usage = "write alexnet or mlp:IN-H-…-OUT with positive integer widths, such as mlp:784-256-10"
        guard trimmed.hasPrefix("mlp:") else {
            throw LearningError.invalidHyperparameter(name: "--arch", value: "'\(text)'", allowed: "unknown architecture: \(usage)")
        }
        let parts = trimmed.dropFirst(4).split(separator: "-", omittingEmptySubsequences: false)
        var widths: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber) else {
                let shown = part.isEmpty ? "an empty width" : "'\(part)'"
                throw LearningError.invalidHyperparameter(
                    name: "--arch", value: "'\(text)'", allowed: "\(shown) is not a positive integer: \(usage)")
            }
            // Ten million units per layer is far past any model this tool can cost sensibly,
            // and keeps every product of two widths inside Int.
            guard let width = Int(part), width >= 1, width <= 10_000_000 else {
                throw LearningError.invalidHyperparameter(
                    name: "--arch", value: "'\(text)'", allowed: "width \(part) must be between 1 and 10,000,000")
            }
            widths.append(width)
        }
        guard widths.count >= 2 else {
            throw LearningError.invalidHyperparameter(
                name: "--arch", value: "'\(text)'", allowed: "an MLP needs at least an input and an output width: \(usage)")
        }
        return try mlp(widths: widths)
    }
}
