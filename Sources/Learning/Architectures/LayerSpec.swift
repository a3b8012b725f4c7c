/// One layer of an architecture described by its hyper-parameters only: enough to work out
/// shapes, parameters and FLOPs without allocating weights or training.
///
/// Conventions follow `FlopLedger`'s (PyTorch's FlopCounterMode) and the trainable layers in `Layers/`: 2 FLOPs per
/// multiply-add, one FLOP per elementwise operation, and no input gradient for the first layer
/// that would need one (see `LayerSpec+Rules.swift` for each formula).
public enum LayerSpec: Sendable, Hashable {
    /// A 2-D convolution with square kernels, `outputChannels` filters of
    /// `kernelSize`×`kernelSize`×Cin, moved by `stride`, over an input zero-padded by `padding`
    /// on every side; one bias per filter.
    case conv2D(outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0)
    /// Maximum over square `windowSize`×`windowSize` windows moved by `stride`, per channel,
    /// without padding (AlexNet's overlapping 3/2 pooling).
    case maxPool(windowSize: Int, stride: Int)
    /// H×W×C to a vector of H·W·C values; no arithmetic.
    case flatten
    /// A fully connected layer (the lecture's FC): y = W x + b with `outputs` rows in W.
    case dense(outputs: Int)
    /// max(0, x), elementwise.
    case relu

    /// `"Conv2D"`, `"MaxPool"`, `"Flatten"`, `"Dense"` or `"ReLU"`.
    public var kindName: String {
        switch self {
        case .conv2D: "Conv2D"
        case .maxPool: "MaxPool"
        case .flatten: "Flatten"
        case .dense: "Dense"
        case .relu: "ReLU"
        }
    }

    /// Short name prefix for summaries: `conv`, `pool`, `flatten`, `fc`, `relu`.
    var namePrefix: String {
        switch self {
        case .conv2D: "conv"
        case .maxPool: "pool"
        case .flatten: "flatten"
        case .dense: "fc"
        case .relu: "relu"
        }
    }

    /// True for layers with weights (their gradients are always computed in training).
    public var hasParameters: Bool {
        switch self {
        case .conv2D, .dense: true
        case .maxPool, .flatten, .relu: false
        }
    }

    /// The hyper-parameters in a compact form: `96@11×11/4 p0`, `3/2`, `4096`.
    public var hyperparameterText: String {
        switch self {
        case let .conv2D(channels, kernel, stride, padding):
            "\(channels)@\(kernel)×\(kernel)/\(stride)" + (padding > 0 ? " p\(padding)" : "")
        case let .maxPool(window, stride): "\(window)×\(window)/\(stride)"
        case .flatten, .relu: ""
        case let .dense(outputs): "\(outputs)"
        }
    }
}
