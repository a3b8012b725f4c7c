import Testing
import Vocabulary
@testable import Learning

/// The epilogue fused into the matrix kernels (bias, ReLU, ReLU mask) and the Linear→ReLU
/// fusion in `Sequential` must give what separate passes give.
@Suite struct FusedEpilogueTests {
    /// op(a)·op(b) + bias, then ReLU, then the mask, in Double.
    static func reference(
        _ a: Tensor, _ ta: Bool, _ b: Tensor, _ tb: Bool, bias: [Float]?, relu: Bool, mask: Tensor?
    ) -> [Double] {
        let n = tb ? b.rows : b.columns
        var c = MatrixMultiplyTests.reference(a, ta, b, tb)
        for index in c.indices {
            if let bias { c[index] += Double(bias[index % n]) }
            if relu && c[index] <= 0 { c[index] = 0 }
            if let mask, !(mask.scalars[index] > 0) { c[index] = 0 }
        }
        return c
    }

    @Test func portableKernelAppliesBiasReLUAndMaskLikeSeparatePasses() throws {
        try Self.checkEpilogue(kernel: "portable")
    }

    @Test(.enabled(if: MatrixMultiplyTests.runs("avx2"), "this CPU cannot run the AVX2 kernel"))
    func avx2KernelAppliesBiasReLUAndMaskLikeSeparatePasses() throws {
        try Self.checkEpilogue(kernel: "avx2")
    }

    @Test(.enabled(if: MatrixMultiplyTests.runs("avx512"), "this CPU cannot run the AVX-512 kernel"))
    func avx512KernelAppliesBiasReLUAndMaskLikeSeparatePasses() throws {
        try Self.checkEpilogue(kernel: "avx512")
    }

    static func checkEpilogue(kernel: String) throws {
        try #require(MatrixMultiplyTests.runs(kernel), "\(kernel) is not among \(MatrixMultiply.availableKernels)")
        var generator = SeededGenerator(seed: 23)
        // Shapes for each path: packed (large on all sides), broadcast (K or M small, B plain),
        // dot (N small, B transposed), and partial tiles at every edge.
        let shapes = [(37, 45, 60), (130, 70, 300), (29, 10, 256), (33, 1, 100), (128, 50, 10), (5, 80, 7), (1, 33, 40), (40, 33, 1)]
        for (index, (m, n, k)) in shapes.enumerated() {
            for transposes in 0..<4 {
                let ta = transposes & 1 == 1, tb = transposes & 2 == 2
                let a = ta ? MatrixMultiplyTests.random(k, m, &generator) : MatrixMultiplyTests.random(m, k, &generator)
                let b = tb ? MatrixMultiplyTests.random(n, k, &generator) : MatrixMultiplyTests.random(k, n, &generator)
                let bias = (0..<n).map { _ in generator.nextUnitFloat() - 0.5 }
                let mask = MatrixMultiplyTests.random(m, n, &generator)
                let useBias = index % 2 == 0 || transposes == 1, relu = transposes != 2, useMask = index % 3 != 1
                let c = try #require(
                    MatrixMultiply.fusedProduct(
                        a, transposeA: ta, b, transposeB: tb, bias: useBias ? bias : nil, relu: relu,
                        mask: useMask ? mask : nil, threads: 1 + index % 2, kernel: kernel))
                let expected = reference(a, ta, b, tb, bias: useBias ? bias : nil, relu: relu, mask: useMask ? mask : nil)
                let worst = zip(c.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(
                    worst < 1e-5 * Double(k) + 1e-6,
                    "\(kernel) \(m)x\(n)x\(k) ta=\(ta) tb=\(tb) bias=\(useBias) relu=\(relu) mask=\(useMask): \(worst)")
                if relu && !useMask { #expect(c.scalars.allSatisfy { $0 >= 0 }) }
            }
        }
    }

    @Test func fusedReLUKeepsNaNLikeTheReLULayer() throws {
        let a = Tensor(rows: 1, columns: 2, scalars: [.infinity, 1])
        let b = Tensor(rows: 2, columns: 3, scalars: [1, -1, 0, 1, 1, 1])  // ∞·0 = NaN in column 2
        let c = try #require(MatrixMultiply.fusedProduct(a, b, relu: true))
        #expect(c.scalars[0] == .infinity)
        #expect(c.scalars[1] == 0)
        #expect(c.scalars[2].isNaN)
    }

    @Test func epilogueResultsDoNotDependOnThreadCount() throws {
        var generator = SeededGenerator(seed: 31)
        // Large enough to be split (tens of MFLOPs) on the packed and broadcast paths.
        for (m, n, k, tb) in [(160, 520, 300, true), (2000, 1200, 8, false), (300, 600, 200, false)] {
            let a = MatrixMultiplyTests.random(m, k, &generator)
            let b = tb ? MatrixMultiplyTests.random(n, k, &generator) : MatrixMultiplyTests.random(k, n, &generator)
            let bias = (0..<n).map { _ in generator.nextUnitFloat() }
            let mask = MatrixMultiplyTests.random(m, n, &generator)
            let one = try #require(MatrixMultiply.fusedProduct(a, b, transposeB: tb, bias: bias, relu: true, mask: mask, threads: 1))
            for threads in [2, 3] {
                let many = try #require(
                    MatrixMultiply.fusedProduct(a, b, transposeB: tb, bias: bias, relu: true, mask: mask, threads: threads))
                #expect(one.scalars == many.scalars, "\(m)x\(n)x\(k) with \(threads) threads")
            }
        }
    }

    /// Sequential fuses Linear→ReLU; calling the same layers one by one through the `Layer`
    /// protocol does not. Both must give the same bits, and the same FLOPs per slot.
    @Test func sequentialFusionGivesTheSameOutputsGradientsAndFlopsAsSeparateLayers() {
        let architecture = MLPArchitecture(inputs: 9, hiddenLayers: 2, hiddenWidth: 21, outputs: 3)
        let fused = architecture.makeNetwork(seed: 3), separate = architecture.makeNetwork(seed: 3)
        let x = GradientCheckTests.matrix(13, 9, seed: 4), y = GradientCheckTests.matrix(13, 3, seed: 5)
        var fusedLedger = FlopLedger(layerNames: fused.layers.map(\.name))
        let fusedOutput = fused.forward(x, ledger: &fusedLedger, phase: .forward, threads: 1)
        let fusedGradient = Matrix(rows: 0, columns: 0)
        _ = MeanSquaredError().evaluate(output: fusedOutput, targets: y, gradient: fusedGradient, ledger: &fusedLedger, phase: .forward)
        fused.backward(input: x, outputGradient: fusedGradient, ledger: &fusedLedger, threads: 1)

        var ledger = FlopLedger(layerNames: separate.layers.map(\.name))
        var current = x
        for (slot, layer) in separate.layers.enumerated() {
            layer.forward(current, ledger: &ledger, slot: slot, phase: .forward, threads: 1)
            current = layer.output
        }
        let gradient = Matrix(rows: 0, columns: 0)
        _ = MeanSquaredError().evaluate(output: current, targets: y, gradient: gradient, ledger: &ledger, phase: .forward)
        var upstream = gradient
        for slot in separate.layers.indices.reversed() {
            let layer = separate.layers[slot]
            layer.backward(
                input: slot == 0 ? x : separate.layers[slot - 1].output, outputGradient: upstream,
                computeInputGradient: slot > 0, ledger: &ledger, slot: slot, threads: 1)
            upstream = layer.inputGradient
        }

        #expect(Array(fusedOutput.buffer) == Array(current.buffer))
        for (a, b) in zip(fused.parameters, separate.parameters) {
            #expect(Array(a.gradients.buffer) == Array(b.gradients.buffer))
        }
        for slot in 0..<fused.layers.count {
            for phase in Phase.allCases {
                #expect(fusedLedger.flops(slot: slot, phase: phase) == ledger.flops(slot: slot, phase: phase))
            }
        }
        #expect(fusedLedger.total == ledger.total)
    }
}
