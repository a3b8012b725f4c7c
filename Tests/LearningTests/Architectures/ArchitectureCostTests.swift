import Testing
@testable import Learning

/// Shape, parameter and FLOP rules against REFERENCE.md §2 and hand-computed layers.
@Suite struct ArchitectureCostTests {
    @Test func alexNetHasTheLecturesParameterCount() throws {
        let cost = try ArchitectureSpec.alexNet.cost()
        #expect(cost.parameters == 62_378_344)
    }

    @Test func alexNetForwardPassIs1_135_256_096MultiplyAddsPerImage() throws {
        let cost = try ArchitectureSpec.alexNet.cost()
        #expect(cost.forwardMACsPerSample == 1_135_256_096)
        #expect(cost.layers.reduce(0) { $0 + $1.forwardMatmulFlops } == 2 * 1_135_256_096)
    }

    /// Forward 2·MACs, ∂W 2·MACs everywhere, ∂X 2·MACs everywhere but conv1 (105,415,200 MACs).
    @Test func alexNetTrainingMatmulFlopsSkipConv1sInputGradient() throws {
        let cost = try ArchitectureSpec.alexNet.cost()
        #expect(cost.trainingMatmulFlopsPerSample == 6 * 1_135_256_096 - 2 * 105_415_200)
        #expect(cost.layers.filter { !$0.computesInputGradient }.map(\.name) == ["conv1"])
    }

    @Test func alexNetLayerShapesFollowThePaper() throws {
        let cost = try ArchitectureSpec.alexNet.cost()
        let shapes = cost.layers.filter { $0.kind != "ReLU" }.map { "\($0.name) \($0.outputShape)" }
        #expect(
            shapes == [
                "conv1 55×55×96", "pool1 27×27×96", "conv2 27×27×256", "pool2 13×13×256",
                "conv3 13×13×384", "conv4 13×13×384", "conv5 13×13×256", "pool3 6×6×256",
                "flatten1 9216", "fc6 4096", "fc7 4096", "fc8 1000",
            ])
        let conv1 = try #require(cost.layers.first)
        #expect(conv1.parameters == 11 * 11 * 3 * 96 + 96)
        #expect(conv1.forwardMACs == 55 * 55 * 96 * 11 * 11 * 3)
    }

    /// conv 2@3×3/1 p1 on 4×4×1: output 4×4×2, 16·2·9 = 288 MACs, 20 parameters. Forward
    /// 2·288 + 32 bias adds; backward ∂W 576 + ∂b 32, plus ∂X 576 when it is needed.
    @Test func convolutionCountsBiasAddsAndSkipsTheInputGradientOfTheFirstLayer() throws {
        let layer = LayerSpec.conv2D(outputChannels: 2, kernelSize: 3, stride: 1, padding: 1)
        let input = FeatureMapShape(height: 4, width: 4, channels: 1)
        let first = try layer.cost(for: input, index: 0, name: "conv1", computesInputGradient: false)
        #expect(first.outputShape == FeatureMapShape(height: 4, width: 4, channels: 2))
        #expect(first.parameters == 20)
        #expect(first.forwardMACs == 288)
        #expect(first.forwardFlops == 608)
        #expect(first.backwardFlops == 608)
        let later = try layer.cost(for: input, index: 3, name: "conv2", computesInputGradient: true)
        #expect(later.backwardFlops == 608 + 576)
        #expect(later.backwardMatmulFlops == 1152)
    }

    /// Overlapping 3/2 pooling of 5×5×2: output 2×2×2, 8 comparisons per output.
    @Test func maxPoolCountsComparisonsAndRoutesGradientsOnlyWhenNeeded() throws {
        let pool = LayerSpec.maxPool(windowSize: 3, stride: 2)
        let input = FeatureMapShape(height: 5, width: 5, channels: 2)
        let cost = try pool.cost(for: input, index: 1, name: "pool1", computesInputGradient: true)
        #expect(cost.outputShape == FeatureMapShape(height: 2, width: 2, channels: 2))
        #expect(cost.forwardFlops == 8 * 8)
        #expect(cost.backwardFlops == 8)
        #expect(cost.parameters == 0)
        let first = try pool.cost(for: input, index: 0, name: "pool1", computesInputGradient: false)
        #expect(first.backwardFlops == 0)
    }

    /// The spec's per-sample FLOPs equal what the trainable layers put in their ledger for the
    /// same MLP, so `footprint estimate` and `footprint train` count alike.
    @Test func mlpSpecCountsWhatTrainingStepsCount() throws {
        let spec = try ArchitectureSpec.parse("mlp:5-7-3")
        let cost = try spec.cost()
        let loop = try SyntheticTrainingLoop(
            architecture: MLPArchitecture(inputs: 5, hiddenLayers: 1, hiddenWidth: 7, outputs: 3), batchSize: 4, batchCount: 1)
        loop.run(steps: 1)
        let ledger = loop.ledger
        #expect(ledger.flops(in: .forward) + ledger.flops(in: .backward) == 4 * cost.trainingFlopsPerSample)
        #expect(ledger.trainingMatmulFlops == 4 * cost.trainingMatmulFlopsPerSample)
        #expect(ledger.flops(in: .optimizer) == 2 * cost.parameters)
        #expect(cost.parameters == 5 * 7 + 7 + 7 * 3 + 3)
    }

    /// REFERENCE.md §2: 784-256-10 forward+backward matmul FLOPs per sample 818,176.
    @Test func mlp784_256_10MatchesTheReferenceVectors() throws {
        let cost = try ArchitectureSpec.parse("mlp:784-256-10").cost()
        #expect(cost.parameters == 203_530)
        #expect(cost.layers.reduce(0) { $0 + $1.forwardMatmulFlops } == 406_528)
        #expect(cost.trainingMatmulFlopsPerSample == 818_176)
    }

    /// 10 samples in batches of 4 is 3 steps per epoch; SGD with momentum costs 4 FLOPs per parameter.
    @Test func trainingFlopsAddTheOptimizerOncePerStep() throws {
        let cost = try ArchitectureSpec.parse("mlp:2-3-1").cost()
        let flops = cost.trainingFlops(samples: 10, epochs: 2, batchSize: 4, optimizer: .sgd(momentum: 0.9))
        let expected = 2.0 * (10.0 * Double(cost.trainingFlopsPerSample) + 3.0 * 4.0 * Double(cost.parameters))
        #expect(flops == expected)
        #expect(cost.loss == .meanSquaredError)
    }
}
