import Vocabulary

/// Layers applied in order: the neural network of the lecture, f_L(…f_2(f_1(x))…).
///
/// A ReLU right after a Linear is fused into it: forward, the Linear's kernel writes max(0, ·)
/// and the ReLU shares that buffer; backward, the next Linear's ∂X kernel applies the ReLU's
/// mask and the ReLU shares that gradient. Every layer still counts its own FLOPs by its own
/// formula, so the ledger is the same as without fusion.
package final class Sequential {
    package let layers: [any Layer]
    package let inputWidth: Int
    /// Slots of ReLUs whose forward pass the previous Linear performs.
    private let forwardFused: [Bool]
    /// Slots of ReLUs whose backward mask the next Linear applies to its ∂X.
    private let backwardFused: [Bool]

    package init(layers: [any Layer], inputWidth: Int) {
        self.layers = layers
        self.inputWidth = inputWidth
        forwardFused = layers.indices.map { slot in
            layers[slot] is ReLU && slot > 0 && layers[slot - 1] is Linear
        }
        backwardFused = layers.indices.map { slot in
            layers[slot] is ReLU && slot + 1 < layers.count && layers[slot + 1] is Linear
        }
    }

    package var outputWidth: Int { layers.last?.outputWidth ?? inputWidth }
    package var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    package var parameters: [ParameterSlot] { layers.flatMap(\.parameters) }

    /// Runs every layer; returns the last layer's output buffer (valid until the next call).
    @discardableResult
    package func forward(_ input: Matrix, ledger: inout FlopLedger, phase: Phase, threads: Int) -> Matrix {
        var current = input
        for (slot, layer) in layers.enumerated() {
            if forwardFused[slot], let relu = layer as? ReLU {
                relu.forwardFused(current, ledger: &ledger, slot: slot, phase: phase)
            } else if let linear = layer as? Linear {
                let fuse = slot + 1 < layers.count && forwardFused[slot + 1]
                linear.forward(current, ledger: &ledger, slot: slot, phase: phase, threads: threads, fusingReLU: fuse)
            } else {
                layer.forward(current, ledger: &ledger, slot: slot, phase: phase, threads: threads)
            }
            current = layer.output
        }
        return current
    }

    /// Back-propagates `outputGradient` through every layer. The first layer's input gradient
    /// is neither computed nor counted: nothing upstream needs it.
    package func backward(input: Matrix, outputGradient: Matrix, ledger: inout FlopLedger, threads: Int) {
        var gradient = outputGradient
        for slot in layers.indices.reversed() {
            let layer = layers[slot]
            let layerInput = slot == 0 ? input : layers[slot - 1].output
            if backwardFused[slot], let relu = layer as? ReLU {
                relu.backwardFused(outputGradient: gradient, computeInputGradient: slot > 0, ledger: &ledger, slot: slot)
            } else if let linear = layer as? Linear {
                // The ReLU before this layer has its mask applied here (its input and output
                // are positive at the same places, and its output is this layer's input).
                let masking = slot > 0 && backwardFused[slot - 1]
                linear.backward(
                    input: layerInput, outputGradient: gradient, computeInputGradient: slot > 0,
                    ledger: &ledger, slot: slot, threads: threads, maskingByPositiveInput: masking)
            } else {
                layer.backward(
                    input: layerInput, outputGradient: gradient, computeInputGradient: slot > 0,
                    ledger: &ledger, slot: slot, threads: threads)
            }
            gradient = layer.inputGradient
        }
    }
}

/// The architecture of a multilayer perceptron in the lecture's hyper-parameters.
public struct MLPArchitecture: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Input width (features per sample).
    public var inputs: Int
    /// Number of hidden layers, L (0 gives a linear model).
    public var hiddenLayers: Int
    /// Width of each hidden layer, H.
    public var hiddenWidth: Int
    /// Output width (1 for scalar regression, the class count for classification).
    public var outputs: Int

    public init(inputs: Int, hiddenLayers: Int, hiddenWidth: Int, outputs: Int) {
        self.inputs = inputs
        self.hiddenLayers = hiddenLayers
        self.hiddenWidth = hiddenWidth
        self.outputs = outputs
    }

    /// Layer widths from input to output, for example `[784, 256, 10]`.
    public var widths: [Int] {
        [inputs] + Array(repeating: hiddenWidth, count: hiddenLayers) + [outputs]
    }

    /// `"mlp:784-256-10"`.
    public var description: String {
        "mlp:" + widths.map(String.init).joined(separator: "-")
    }

    /// Trainable parameters: Σ (inᵢ·outᵢ + outᵢ).
    public var parameterCount: Int {
        zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    /// Checks the widths, with a message saying what is allowed.
    ///
    /// - Throws: `LearningError.invalidHyperparameter`.
    public func validate() throws(LearningError) {
        if inputs < 1 { throw LearningError.invalidHyperparameter(name: "input width", value: "\(inputs)", allowed: "must be at least 1") }
        if outputs < 1 {
            throw LearningError.invalidHyperparameter(name: "output width", value: "\(outputs)", allowed: "must be at least 1")
        }
        if hiddenLayers < 0 {
            throw LearningError.invalidHyperparameter(
                name: "--layers", value: "\(hiddenLayers)", allowed: "must be 0 or more hidden layers")
        }
        if hiddenLayers > 0 && hiddenWidth < 1 {
            throw LearningError.invalidHyperparameter(name: "--hidden", value: "\(hiddenWidth)", allowed: "hidden width must be at least 1")
        }
    }

    /// Builds the network: Linear, ReLU, …, Linear, initialised from `seed`.
    package func makeNetwork(seed: UInt64) -> Sequential {
        var generator = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        let widths = self.widths
        for index in 0..<(widths.count - 1) {
            layers.append(Linear(inputs: widths[index], outputs: widths[index + 1], name: "linear_\(index + 1)", generator: &generator))
            if index < widths.count - 2 {
                layers.append(ReLU(width: widths[index + 1], name: "relu_\(index + 1)"))
            }
        }
        return Sequential(layers: layers, inputWidth: inputs)
    }
}
