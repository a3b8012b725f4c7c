import Vocabulary

/// The minibatch training loop of a multilayer perceptron.
struct MLPTraining {
    let configuration: TrainingConfiguration
    /// The network `Trainer` built, trained in place.
    let network: Sequential
    let summary: ModelSummary

    func run(_ dataset: Dataset, policy: EvaluationPolicy, hooks: TrainingHooks) throws -> TrainingResult {
        let runStart = Clocks.monotonicSeconds()
        let cpuStart = Clocks.processCPUSeconds()
        var setupSeconds = PhaseSeconds()
        let split = setupSeconds.measure(.data) {
            DataSplit(dataset: dataset, policy: policy, seed: configuration.seed, standardize: configuration.standardize)
        }
        try hooks.willStart(summary)

        let loss: any Loss = dataset.task == .regression ? MeanSquaredError() : SoftmaxCrossEntropy()
        let parameters = network.parameters
        var slotOfParameter: [Int] = []
        for (slot, layer) in network.layers.enumerated() {
            slotOfParameter.append(contentsOf: repeatElement(slot, count: layer.parameters.count))
        }
        let optimizer = Optimizer(kind: configuration.optimizer, learningRate: configuration.learningRate, slots: parameters)
        let evaluator = Evaluator(
            task: dataset.task, targetShift: split.targetShift, targetScale: split.targetScale, threads: configuration.threads)

        let trainX = Matrix(rows: 0, columns: 0), trainY = Matrix(rows: 0, columns: 0)
        trainX.assign(split.trainFeatures)
        trainY.assign(split.trainTargets)
        let sampleCount = trainX.rows
        let batchSize = min(configuration.batchSize, sampleCount)
        let batchX = Matrix(rows: batchSize, columns: trainX.columns)
        let batchY = Matrix(rows: batchSize, columns: trainY.columns)
        let outputGradient = Matrix(rows: batchSize, columns: network.outputWidth)
        var order = Array(0..<sampleCount)
        var shuffler = SeededGenerator(seed: configuration.seed &+ 0x9E37_79B9)
        let lossScale = evaluator.lossScale

        var runLedger = FlopLedger(layerNames: network.layers.map(\.name))
        var runSeconds = setupSeconds
        var reports: [EpochReport] = []
        // `configuration.validate` guarantees at least one epoch, so this is always replaced.
        var lastMetrics = QualityMetrics(trainLoss: .nan, split: .train)
        var samples = 0

        for epoch in 1...configuration.epochs {
            let epochStart = Clocks.monotonicSeconds()
            let epochCPUStart = Clocks.processCPUSeconds()
            var ledger = runLedger.emptyCopy()
            var seconds = PhaseSeconds()
            optimizer.setLearningRate(
                configuration.schedule.learningRate(base: configuration.learningRate, epoch: epoch, epochs: configuration.epochs))
            seconds.measure(.data) { order.shuffle(using: &shuffler) }
            var lossSum = 0.0
            var step = 0
            var start = 0
            while start < sampleCount {
                if hooks.shouldStop() { throw LearningError.interrupted(epoch: epoch) }
                step += 1
                let count = min(batchSize, sampleCount - start)
                seconds.measure(.data) {
                    Self.gather(order[start..<(start + count)], from: trainX, into: batchX)
                    Self.gather(order[start..<(start + count)], from: trainY, into: batchY)
                }
                let batchLoss = seconds.measure(.forward) { () -> Double in
                    let output = network.forward(batchX, ledger: &ledger, phase: .forward, threads: configuration.threads)
                    return loss.evaluate(output: output, targets: batchY, gradient: outputGradient, ledger: &ledger, phase: .forward)
                }
                guard batchLoss.isFinite else {
                    throw LearningError.nonFiniteLoss(epoch: epoch, step: step, learningRate: configuration.learningRate)
                }
                lossSum += batchLoss * Double(count)
                seconds.measure(.backward) {
                    network.backward(input: batchX, outputGradient: outputGradient, ledger: &ledger, threads: configuration.threads)
                }
                seconds.measure(.optimizer) {
                    optimizer.update(ledger: &ledger, slotOfParameter: slotOfParameter)
                }
                start += count
            }
            samples += sampleCount
            let trainLoss = lossSum / Double(sampleCount) * lossScale
            let metrics = seconds.measure(.evaluation) {
                evaluator.metrics(network: network, trainLoss: trainLoss, split: split, ledger: &ledger)
            }
            runLedger.merge(ledger)
            runSeconds.merge(seconds)
            lastMetrics = metrics
            let report = EpochReport(
                index: epoch, quality: metrics, ledger: ledger, phaseSeconds: seconds,
                wallSeconds: Clocks.monotonicSeconds() - epochStart,
                cpuSeconds: Clocks.processCPUSeconds() - epochCPUStart, samples: sampleCount)
            reports.append(report)
            try hooks.epochDidEnd(report)
        }
        let costs = network.layers.enumerated().map { slot, layer in
            LayerCost(
                index: slot, name: layer.name, kind: layer.kind, outputShape: "(N, \(layer.outputWidth))",
                parameters: layer.parameterCount,
                forwardFlops: runLedger.flops(slot: slot, phase: .forward),
                backwardFlops: runLedger.flops(slot: slot, phase: .backward),
                optimizerFlops: runLedger.flops(slot: slot, phase: .optimizer),
                evaluationFlops: runLedger.flops(slot: slot, phase: .evaluation))
        }
        return TrainingResult(
            summary: summary, datasetName: dataset.name, task: dataset.task, configuration: configuration,
            epochs: reports, metrics: lastMetrics, flops: runLedger, phaseSeconds: runSeconds,
            wallSeconds: Clocks.monotonicSeconds() - runStart, cpuSeconds: Clocks.processCPUSeconds() - cpuStart,
            samples: samples, trainingSampleCount: sampleCount,
            validationSampleCount: split.validationFeatures?.rows ?? 0, coefficients: nil,
            layerCosts: costs, kernel: MatrixMultiply.kernelName)
    }

    /// Copies the rows at `indices` of `source` into `destination`.
    @inline(__always)
    static func gather(_ indices: ArraySlice<Int>, from source: Matrix, into destination: Matrix) {
        let columns = source.columns
        destination.reshape(rows: indices.count, columns: columns)
        var target = destination.pointer
        for index in indices {
            target.update(from: source.pointer + index * columns, count: columns)
            target += columns
        }
    }
}
