import Testing
import Vocabulary
@testable import Learning

/// FLOP counts against the hand-computed vectors of REFERENCE.md §2.
@Suite struct FlopCountTests {
    @Test func matrixProductOfFourByFiveAndFiveBySixIs240Flops() {
        #expect(MatrixMultiply.flops(m: 4, n: 6, k: 5) == 240)
    }

    @Test func mlp784_256_10HasTheReferenceParameterCount() {
        #expect(MLPArchitecture(inputs: 784, hiddenLayers: 1, hiddenWidth: 256, outputs: 10).parameterCount == 203_530)
    }

    /// One training step of 784-256-10 on a batch of 128: forward matmul 2·128·(784·256 +
    /// 256·10) and backward ∂W for both layers plus ∂X for the second only.
    @Test func trainingStepMatmulFlopsMatchTheReferenceForBatch128() {
        let network = MLPArchitecture(inputs: 784, hiddenLayers: 1, hiddenWidth: 256, outputs: 10).makeNetwork(seed: 1)
        let x = Matrix(rows: 128, columns: 784), labels = Matrix(rows: 128, columns: 1), gradient = Matrix(rows: 0, columns: 0)
        var ledger = FlopLedger(layerNames: network.layers.map(\.name))
        let output = network.forward(x, ledger: &ledger, phase: .forward, threads: 1)
        #expect(ledger.trainingMatmulFlops == 128 * 406_528)
        _ = SoftmaxCrossEntropy().evaluate(output: output, targets: labels, gradient: gradient, ledger: &ledger, phase: .forward)
        network.backward(input: x, outputGradient: gradient, ledger: &ledger, threads: 1)
        #expect(ledger.trainingMatmulFlops == 104_726_528)
        #expect(ledger.trainingMatmulFlops == 128 * 818_176)
    }

    @Test func elementwiseWorkIsCountedByTheDocumentedFormulas() {
        let network = MLPArchitecture(inputs: 3, hiddenLayers: 1, hiddenWidth: 4, outputs: 2).makeNetwork(seed: 1)
        let x = Matrix(rows: 5, columns: 3), y = Matrix(rows: 5, columns: 2), gradient = Matrix(rows: 0, columns: 0)
        var ledger = FlopLedger(layerNames: network.layers.map(\.name))
        let output = network.forward(x, ledger: &ledger, phase: .forward, threads: 1)
        _ = MeanSquaredError().evaluate(output: output, targets: y, gradient: gradient, ledger: &ledger, phase: .forward)
        network.backward(input: x, outputGradient: gradient, ledger: &ledger, threads: 1)
        // linear_1 forward: 2·5·3·4 + 5·4 = 140; backward: ∂W 120 + ∂b 20, no ∂X (first layer).
        #expect(ledger.flops(slot: 0, phase: .forward) == 140)
        #expect(ledger.flops(slot: 0, phase: .backward) == 140)
        // relu_1: 20 comparisons each way.
        #expect(ledger.flops(slot: 1, phase: .forward) == 20)
        #expect(ledger.flops(slot: 1, phase: .backward) == 20)
        // linear_2 forward: 2·5·4·2 + 10 = 90; backward: ∂W 80 + ∂b 10 + ∂X 80 = 170.
        #expect(ledger.flops(slot: 2, phase: .forward) == 90)
        #expect(ledger.flops(slot: 2, phase: .backward) == 170)
        // MSE over 10 elements: 30 forward, 20 backward.
        #expect(ledger.flops(slot: ledger.lossSlot, phase: .forward) == 30)
        #expect(ledger.flops(slot: ledger.lossSlot, phase: .backward) == 20)
    }

    @Test func ledgerPartsSumToItsTotalAfterTraining() throws {
        let dataset = try TrainerTests.seedClassification()
        let result = try Trainer(
            configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 8), epochs: 3, batchSize: 2, learningRate: 0.01),
            dataset: dataset
        ).train()
        let phases = Phase.allCases.map { result.flops.flops(in: $0) }
        #expect(phases.reduce(0, +) == result.flops.total)
        #expect(result.flops.flops(in: .data) == 0)
        let perEpoch = result.epochs.map(\.ledger.total).reduce(0, +)
        #expect(perEpoch == result.flops.total)
        let perLayer = result.layerCosts.map { $0.forwardFlops + $0.backwardFlops + $0.optimizerFlops + $0.evaluationFlops }.reduce(0, +)
        let lossSlot = result.flops.lossSlot
        let lossFlops = Phase.allCases.map { result.flops.flops(slot: lossSlot, phase: $0) }.reduce(0, +)
        #expect(perLayer + lossFlops == result.flops.total)
        // Adam: 12 FLOPs per parameter per step; 5 samples in batches of 2 → 3 steps per epoch.
        #expect(result.flops.flops(in: .optimizer) == 12 * result.summary.parameters * 3 * 3)
    }
}
