import Vocabulary

/// A fully connected layer, the lecture's FC: y = W x + b, computed for a batch as Y = X Wᵀ + b.
///
/// W is outputs × inputs (PyTorch's layout). Weights start from He/Kaiming normal
/// initialisation, N(0, 2 / inputs), suited to ReLU networks (He et al. 2015); biases start
/// uniform in ±1/√inputs as PyTorch does, which spreads the ReLU kinks of a 1-D network over
/// the input range instead of stacking them all at zero.
///
/// FLOPs for a batch of N: forward 2·N·I·O (matmul) + N·O (bias); backward 2·N·I·O for ∂W,
/// N·O for ∂b, and 2·N·I·O for ∂X only when the input needs a gradient.
///
/// When `Sequential` fuses a following ReLU into this layer, `output` holds max(0, Y) (the
/// ReLU's output, shared with it) rather than Y.
package final class Linear: Layer {
    package let name: String
    package let kind = "Linear"
    package let inputWidth: Int
    package let outputWidth: Int
    package let weights: Matrix
    package let bias: Matrix
    package let weightGradients: Matrix
    package let biasGradients: Matrix
    package let output = Matrix(rows: 0, columns: 0)
    package let inputGradient = Matrix(rows: 0, columns: 0)

    package init(inputs: Int, outputs: Int, name: String, generator: inout SeededGenerator) {
        self.name = name
        inputWidth = inputs
        outputWidth = outputs
        weights = Matrix(rows: outputs, columns: inputs)
        bias = Matrix(rows: 1, columns: outputs)
        weightGradients = Matrix(rows: outputs, columns: inputs)
        biasGradients = Matrix(rows: 1, columns: outputs)
        let standardDeviation = Float((2.0 / Double(inputs)).squareRoot())
        for index in 0..<weights.count {
            weights.pointer[index] = generator.nextGaussian() * standardDeviation
        }
        let biasBound = Float(1.0 / Double(inputs).squareRoot())
        for index in 0..<outputs {
            bias.pointer[index] = (generator.nextUnitFloat() * 2 - 1) * biasBound
        }
    }

    package var parameterCount: Int { weights.count + bias.count }
    package var parameters: [ParameterSlot] {
        [ParameterSlot(values: weights, gradients: weightGradients), ParameterSlot(values: bias, gradients: biasGradients)]
    }
    package var forwardFlopsPerSample: Int { 2 * inputWidth * outputWidth + outputWidth }

    package func forward(_ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase, threads: Int) {
        forward(input, ledger: &ledger, slot: slot, phase: phase, threads: threads, fusingReLU: false)
    }

    /// Computes Y = X·Wᵀ + b, and max(0, Y) in the same pass when `fusingReLU` (the following
    /// ReLU then reuses this buffer as its output and counts its own FLOPs). The bias and the
    /// ReLU are applied by the matrix kernel as it writes each tile of Y.
    package func forward(
        _ input: Matrix, ledger: inout FlopLedger, slot: Int, phase: Phase, threads: Int, fusingReLU: Bool
    ) {
        let batch = input.rows
        output.reshape(rows: batch, columns: outputWidth)
        MatrixMultiply.gemm(
            transposeA: false, transposeB: true, m: batch, n: outputWidth, k: inputWidth,
            a: input.pointer, lda: inputWidth, b: weights.pointer, ldb: inputWidth,
            beta: 0, c: output.pointer, ldc: outputWidth, bias: bias.pointer, relu: fusingReLU, threads: threads)
        if phase == .forward {
            ledger.addMatmul(MatrixMultiply.flops(m: batch, n: outputWidth, k: inputWidth), slot: slot, phase: phase)
        } else {
            ledger.add(MatrixMultiply.flops(m: batch, n: outputWidth, k: inputWidth), slot: slot, phase: phase)
        }
        ledger.add(batch * outputWidth, slot: slot, phase: phase)
    }

    package func backward(
        input: Matrix, outputGradient: Matrix, computeInputGradient: Bool,
        ledger: inout FlopLedger, slot: Int, threads: Int
    ) {
        backward(
            input: input, outputGradient: outputGradient, computeInputGradient: computeInputGradient,
            ledger: &ledger, slot: slot, threads: threads, maskingByPositiveInput: false)
    }

    /// Computes ∂W, ∂b and (when asked) ∂X. With `maskingByPositiveInput`, ∂X is written as
    /// ∂X · [X > 0], the backward pass of a ReLU that produced X, in the same pass as the
    /// product (that ReLU then reuses ∂X as its input gradient and counts its own FLOPs).
    package func backward(
        input: Matrix, outputGradient: Matrix, computeInputGradient: Bool,
        ledger: inout FlopLedger, slot: Int, threads: Int, maskingByPositiveInput: Bool
    ) {
        let batch = input.rows
        // ∂W = ∂Yᵀ · X  (O×N · N×I)
        MatrixMultiply.gemm(
            transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: batch,
            a: outputGradient.pointer, lda: outputWidth, b: input.pointer, ldb: inputWidth,
            beta: 0, c: weightGradients.pointer, ldc: inputWidth, threads: threads)
        ledger.addMatmul(MatrixMultiply.flops(m: outputWidth, n: inputWidth, k: batch), slot: slot, phase: .backward)
        // ∂b = Σ rows of ∂Y
        let db = biasGradients.pointer
        db.update(repeating: 0, count: outputWidth)
        let dy = outputGradient.pointer
        for row in 0..<batch {
            let source = dy + row * outputWidth
            for column in 0..<outputWidth { db[column] += source[column] }
        }
        ledger.add(batch * outputWidth, slot: slot, phase: .backward)
        guard computeInputGradient else {
            inputGradient.reshape(rows: 0, columns: inputWidth)
            return
        }
        // ∂X = ∂Y · W  (N×O · O×I)
        inputGradient.reshape(rows: batch, columns: inputWidth)
        MatrixMultiply.gemm(
            transposeA: false, transposeB: false, m: batch, n: inputWidth, k: outputWidth,
            a: dy, lda: outputWidth, b: weights.pointer, ldb: inputWidth,
            beta: 0, c: inputGradient.pointer, ldc: inputWidth,
            mask: maskingByPositiveInput ? UnsafePointer(input.pointer) : nil, ldmask: inputWidth, threads: threads)
        ledger.addMatmul(MatrixMultiply.flops(m: batch, n: inputWidth, k: outputWidth), slot: slot, phase: .backward)
    }
}
