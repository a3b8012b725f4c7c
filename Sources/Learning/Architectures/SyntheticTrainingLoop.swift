/// Minibatch SGD steps of an MLP on seeded synthetic data, with nothing else around them: no
/// split, no standardisation, no evaluation pass and no copying of batches. Benchmarks and
/// calibration time it; the numpy reference (`Benchmarks/numpy_mlp.py`) does the same steps.
///
/// Data: `batchCount` fixed batches of Gaussian features N(0, 1) and uniform class labels,
/// used in turn. Each step is forward, softmax cross-entropy, backward and a plain SGD update
/// (η = 0.01), counted in a `FlopLedger` by the trainable layers themselves.
package final class SyntheticTrainingLoop {
    package let architecture: MLPArchitecture
    package let batchSize: Int
    package let threads: Int
    private let network: Sequential
    private let optimizer: Optimizer
    private let slotOfParameter: [Int]
    private let batches: [(features: Matrix, labels: Matrix)]
    private let gradient: Matrix
    private let loss = SoftmaxCrossEntropy()
    private var nextBatch = 0
    /// Every FLOP of the steps run so far.
    package private(set) var ledger: FlopLedger
    /// The last step's mean loss (to show the steps really train).
    package private(set) var lastLoss = Double.nan

    /// Builds the network and the data.
    ///
    /// - Parameters:
    ///   - architecture: The MLP; its output width is the class count.
    ///   - batchSize: Samples per step, at least 1.
    ///   - batchCount: Distinct batches cycled through (8 keeps a 784-wide set in cache-sized
    ///     chunks without being one batch over and over).
    ///   - seed: Seeds the weights and the data.
    ///   - threads: Threads for the matrix kernel.
    /// - Throws: `LearningError.invalidHyperparameter` for a bad width, batch size or thread count.
    package init(architecture: MLPArchitecture, batchSize: Int, batchCount: Int = 8, seed: UInt64 = 42, threads: Int = 1)
        throws(LearningError)
    {
        try architecture.validate()
        guard batchSize >= 1 else {
            throw LearningError.invalidHyperparameter(name: "--batch-size", value: "\(batchSize)", allowed: "must be at least 1")
        }
        guard threads >= 1 && threads <= 256 else {
            throw LearningError.invalidHyperparameter(name: "--threads", value: "\(threads)", allowed: "must be between 1 and 256")
        }
        self.architecture = architecture
        self.batchSize = batchSize
        self.threads = threads
        network = architecture.makeNetwork(seed: seed)
        var generator = SeededGenerator(seed: seed ^ 0xDA7A)
        batches = (0..<max(batchCount, 1)).map { _ in
            let features = Matrix(rows: batchSize, columns: architecture.inputs)
            for index in 0..<features.count { features.pointer[index] = generator.nextGaussian() }
            let labels = Matrix(rows: batchSize, columns: 1)
            for index in 0..<batchSize { labels.pointer[index] = Float(Int(generator.next() % UInt64(architecture.outputs))) }
            return (features, labels)
        }
        gradient = Matrix(rows: batchSize, columns: architecture.outputs)
        let parameters = network.parameters
        optimizer = Optimizer(kind: .sgd(momentum: 0), learningRate: 0.01, slots: parameters)
        var slots: [Int] = []
        for (slot, layer) in network.layers.enumerated() {
            slots.append(contentsOf: repeatElement(slot, count: layer.parameters.count))
        }
        slotOfParameter = slots
        ledger = FlopLedger(layerNames: network.layers.map(\.name))
    }

    /// Runs `steps` training steps.
    package func run(steps: Int) {
        guard steps > 0 else { return }
        for _ in 0..<steps {
            let (features, labels) = batches[nextBatch]
            nextBatch = (nextBatch + 1) % batches.count
            let output = network.forward(features, ledger: &ledger, phase: .forward, threads: threads)
            lastLoss = loss.evaluate(output: output, targets: labels, gradient: gradient, ledger: &ledger, phase: .forward)
            network.backward(input: features, outputGradient: gradient, ledger: &ledger, threads: threads)
            optimizer.update(ledger: &ledger, slotOfParameter: slotOfParameter)
        }
    }

    /// Forgets the FLOPs counted so far (after warm-up steps).
    package func resetLedger() {
        ledger = ledger.emptyCopy()
    }
}
