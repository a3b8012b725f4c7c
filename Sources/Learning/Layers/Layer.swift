import Vocabulary

/// One trainable parameter array of a layer and its gradient, as optimizers see it.
package struct ParameterSlot {
    package let values: Matrix
    package let gradients: Matrix
}

/// A differentiable function of a batch, with its own output and gradient buffers.
///
/// Layers keep the buffers they write, so a training step allocates nothing once the batch size
/// has been seen. `forward` must be called before `backward` with the same batch.
package protocol Layer: AnyObject {
    /// Short name for summaries, for example `"linear_1"`.
    var name: String { get }
    /// The kind of layer, for example `"Linear"`.
    var kind: String { get }
    var inputWidth: Int { get }
    var outputWidth: Int { get }
    var parameterCount: Int { get }
    /// The last forward output, batch × outputWidth.
    var output: Matrix { get }
    /// The last input gradient, batch × inputWidth (empty when not computed).
    var inputGradient: Matrix { get }
    var parameters: [ParameterSlot] { get }

    /// Forward FLOPs for one sample (for the model summary).
    var forwardFlopsPerSample: Int { get }

    /// Computes `output` from `input`, adding the FLOPs to `ledger` at `slot` in `phase`.
    func forward(_ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase, threads: Int)

    /// Computes parameter gradients from `outputGradient` and, when `computeInputGradient`,
    /// `inputGradient`. `input` is the tensor given to the matching `forward`.
    func backward(
        input: Matrix, outputGradient: Matrix, computeInputGradient: Bool,
        ledger: inout FlopLedger, slot: Int, threads: Int)
}
