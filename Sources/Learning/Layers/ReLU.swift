/// The rectified linear unit, max(0, x), elementwise.
///
/// FLOPs: one comparison per element forward; one per element backward (the mask).
package final class ReLU: Layer {
    package let name: String
    package let kind = "ReLU"
    package let inputWidth: Int
    package var outputWidth: Int { inputWidth }
    package let parameterCount = 0
    package let parameters: [ParameterSlot] = []
    package let output = Matrix(rows: 0, columns: 0)
    package let inputGradient = Matrix(rows: 0, columns: 0)

    package init(width: Int, name: String) {
        inputWidth = width
        self.name = name
    }

    package var forwardFlopsPerSample: Int { inputWidth }

    package func forward(_ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase, threads: Int) {
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
        inputGradient.reshape(rows: input.rows, columns: input.columns)
        let count = input.count
        let x = input.pointer, dy = outputGradient.pointer, dx = inputGradient.pointer
        for index in 0..<count { dx[index] = x[index] > 0 ? dy[index] : 0 }
        ledger.add(count, slot: slot, phase: .backward)
    }
}
