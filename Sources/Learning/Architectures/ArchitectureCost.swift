/// What one sample costs in an architecture, layer by layer, and what a training run costs.
///
/// Training FLOPs per sample = forward + backward of every layer + the loss (value and
/// gradient). The optimizer's work is per step, not per sample: `trainingFlops(samples:…)`
/// adds it once per minibatch.
public struct ArchitectureCost: Sendable, Hashable, Codable {
    /// The architecture's name (`alexnet`, `mlp:784-256-10`).
    public var name: String
    public var inputShape: FeatureMapShape
    public var loss: ArchitectureLoss
    public var layers: [LayerCostEstimate]

    /// Trainable parameters.
    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }
    /// Forward multiply-adds per sample (convolutions and dense layers).
    public var forwardMACsPerSample: Int { layers.reduce(0) { $0 + $1.forwardMACs } }
    /// Every forward FLOP per sample, loss excluded.
    public var forwardFlopsPerSample: Int { layers.reduce(0) { $0 + $1.forwardFlops } }
    /// Every backward FLOP per sample, loss gradient excluded.
    public var backwardFlopsPerSample: Int { layers.reduce(0) { $0 + $1.backwardFlops } }
    /// Loss value and gradient FLOPs per sample.
    public var lossFlopsPerSample: Int {
        let outputs = layers.last?.outputShape.elementCount ?? inputShape.elementCount
        return loss.forwardFlops(outputs: outputs) + loss.backwardFlops(outputs: outputs)
    }
    /// Forward + backward + loss FLOPs of one training sample.
    public var trainingFlopsPerSample: Int { forwardFlopsPerSample + backwardFlopsPerSample + lossFlopsPerSample }
    /// The matrix-multiply / convolution part of `trainingFlopsPerSample`: what PyTorch's
    /// FlopCounterMode counts for a training step.
    public var trainingMatmulFlopsPerSample: Int {
        layers.reduce(0) { $0 + $1.forwardMatmulFlops + $1.backwardMatmulFlops }
    }

    /// FLOPs of a whole training run, in `Double` because large runs pass 2⁶³.
    ///
    /// - Parameters:
    ///   - samples: Training samples per epoch.
    ///   - epochs: Passes over them.
    ///   - batchSize: Samples per optimizer step (the last, smaller batch is one more step).
    ///   - optimizer: Its FLOPs per parameter per step (`OptimizerKind.flopsPerParameter`).
    /// - Returns: Forward, backward and loss FLOPs of every sample plus the optimizer's steps.
    public func trainingFlops(samples: Int, epochs: Int, batchSize: Int, optimizer: OptimizerKind) -> Double {
        let stepsPerEpoch = (samples + max(batchSize, 1) - 1) / max(batchSize, 1)
        let perEpoch =
            Double(samples) * Double(trainingFlopsPerSample)
            + Double(stepsPerEpoch) * Double(optimizer.flopsPerParameter) * Double(parameters)
        return perEpoch * Double(epochs)
    }
}

extension ArchitectureSpec {
    /// Works out every layer's shapes, parameters and FLOPs.
    ///
    /// A layer computes its input gradient only when some layer before it has parameters, so
    /// the first convolution (or the first dense layer of an MLP) skips it.
    /// - Returns: The per-sample cost.
    /// - Throws: `LearningError.invalidHyperparameter` when a layer does not fit its input.
    public func cost() throws(LearningError) -> ArchitectureCost {
        var shape = inputShape
        var costs: [LayerCostEstimate] = []
        var counters: [String: Int] = [:]
        var trainableSeen = false
        for (index, layer) in layers.enumerated() {
            // conv1…conv5 and fc6…fc8 as the AlexNet paper numbers them: one count over the
            // trainable layers; pools and ReLUs are counted by kind.
            let prefix = layer.namePrefix
            let counter = layer.hasParameters ? "trainable" : prefix
            let number = (counters[counter] ?? 0) + 1
            counters[counter] = number
            let name = prefix + "\(number)"
            let cost: LayerCostEstimate
            do {
                cost = try layer.cost(for: shape, index: index, name: name, computesInputGradient: trainableSeen)
            } catch let LearningError.invalidHyperparameter(what, value, allowed) {
                throw LearningError.invalidHyperparameter(
                    name: "\(what) of layer \(index + 1) (\(layer.kindName)) in \(self.name)", value: value, allowed: allowed)
            }
            costs.append(cost)
            shape = cost.outputShape
            trainableSeen = trainableSeen || layer.hasParameters
        }
        return ArchitectureCost(name: name, inputShape: inputShape, loss: loss, layers: costs)
    }
}
