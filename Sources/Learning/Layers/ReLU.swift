import Vocabulary

/// The rectified linear unit, max(0, x), elementwise.
///
/// FLOPs: one comparison per element forward; one per element backward (the mask). After a
/// `Linear`, `Sequential` fuses both passes into that layer's matrix kernels (the comparisons
/// still happen and are still counted here) and this layer shares the buffers instead of
/// copying them.
package final class ReLU: Layer {
    package let name: String
    package let kind = "ReLU"
    package let inputWidth: Int
    package var outputWidth: Int { inputWidth }
    package let parameterCount = 0
    package let parameters: [ParameterSlot] = []
    package private(set) var output: Matrix
    package private(set) var inputGradient: Matrix
    private let ownOutput = Matrix(rows: 0, columns: 0)
    private let ownInputGradient = Matrix(rows: 0, columns: 0)

    package init(width: Int, name: String) {
        inputWidth = width
        self.name = name
        output = ownOutput
        inputGradient = ownInputGradient
    }

    package var forwardFlopsPerSample: Int { inputWidth }

    package func forward(_ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase, threads: Int) {
        output = ownOutput
        output.reshape(rows: input.rows, columns: input.columns)
        let count = input.count
        let source = input.pointer, target = output.pointer
        for index in 0..<count { target[index] = max(source[index], 0) }
        ledger.add(count, slot: slot, phase: phase)
    }

    package func backward(
        input: Matrix, outputGradient: Matrix, computeInputGradient: Bool,
        ledger: inout FlopLedger, slot: Int, threads: Int
    ) {
        guard computeInputGradient else { return }
        inputGradient = ownInputGradient
        inputGradient.reshape(rows: input.rows, columns: input.columns)
        let count = input.count
        let x = input.pointer, dy = outputGradient.pointer, dx = inputGradient.pointer
        for index in 0..<count { dx[index] = x[index] > 0 ? dy[index] : 0 }
        ledger.add(count, slot: slot, phase: .backward)
    }

    /// The forward pass when the previous `Linear` already wrote max(0, ·) into `input`: the
    /// output is that buffer; the comparisons are counted here, where they belong.
    package func forwardFused(_ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase) {
        output = input
        ledger.add(input.count, slot: slot, phase: phase)
    }

    /// The backward pass when the next `Linear` already masked `outputGradient` by this
    /// layer's positive outputs (which are exactly its positive inputs).
    package func backwardFused(outputGradient: Matrix, computeInputGradient: Bool, ledger: inout FlopLedger, slot: Int) {
        guard computeInputGradient else { return }
        inputGradient = outputGradient
        ledger.add(outputGradient.count, slot: slot, phase: .backward)
    }
}
