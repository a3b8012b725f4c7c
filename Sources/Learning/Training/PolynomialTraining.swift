import Vocabulary

/// Fits a polynomial by least squares, as one "epoch", with its FLOPs and timings.
///
/// `configuration.epochs` repeats the fit that many times (each solve identical, each counted):
/// a fit to five points takes microseconds, far below any meter's resolution, so the demo
/// repeats it until the run's energy can be resolved, and divides by the count per fit.
///
/// Building the design matrix φ(x) is counted as forward work, the QR solve as optimizer work
/// (it plays the optimizer's part), and the predictions behind the metrics as evaluation.
struct PolynomialTraining {
    let configuration: TrainingConfiguration
    /// The unfitted model `Trainer` built.
    let model: PolynomialRegression
    let summary: ModelSummary

    func run(_ dataset: Dataset, policy: EvaluationPolicy, hooks: TrainingHooks) throws -> TrainingResult {
        let start = Clocks.monotonicSeconds()
        let cpuStart = Clocks.processCPUSeconds()
        var seconds = PhaseSeconds()
        let split = seconds.measure(.data) {
            DataSplit(dataset: dataset, policy: policy, seed: configuration.seed, standardize: false)
        }
        var model = model
        try hooks.willStart(summary)
        var ledger = FlopLedger(layerNames: ["polynomial"])
        let x = split.trainFeatures.scalars.map(Double.init)
        let y = split.trainTargets.scalars.map(Double.init)
        let solveStart = Clocks.monotonicSeconds()
        var designFlops = 0
        var solverFlops = 0
        for _ in 0..<max(configuration.epochs, 1) {
            let counted = try model.fit(x: x, y: y)
            designFlops += counted.0
            solverFlops += counted.1
        }
        let solveSeconds = Clocks.monotonicSeconds() - solveStart
        // The design matrix and the solve run in one call; split their time by FLOP share.
        let designShare = Double(designFlops) / Double(max(designFlops + solverFlops, 1))
        seconds[.forward] += solveSeconds * designShare
        seconds[.optimizer] += solveSeconds * (1 - designShare)
        ledger.add(designFlops, slot: 0, phase: .forward)
        ledger.add(solverFlops, slot: 0, phase: .optimizer)

        let metrics = seconds.measure(.evaluation) { () -> QualityMetrics in
            let trainLoss = meanSquaredError(model, x: x, y: y, ledger: &ledger)
            var metrics = QualityMetrics(trainLoss: trainLoss, split: .train)
            var evalX = x, evalY = y
            if let features = split.validationFeatures, let targets = split.validationTargets {
                evalX = features.scalars.map(Double.init)
                evalY = targets.scalars.map(Double.init)
                metrics.validationLoss = meanSquaredError(model, x: evalX, y: evalY, ledger: &ledger)
                metrics.split = .validation
            }
            let mse = metrics.validationLoss ?? trainLoss
            let mean = evalY.reduce(0, +) / Double(evalY.count)
            let sst = evalY.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            metrics.mse = mse
            metrics.r2 = sst > 0 ? 1 - mse * Double(evalY.count) / sst : nil
            ledger.add(3 * evalY.count + 2, slot: ledger.lossSlot, phase: .evaluation)
            return metrics
        }
        let wall = Clocks.monotonicSeconds() - start
        let cpu = Clocks.processCPUSeconds() - cpuStart
        let report = EpochReport(
            index: 1, quality: metrics, ledger: ledger, phaseSeconds: seconds, wallSeconds: wall, cpuSeconds: cpu, samples: x.count)
        try hooks.epochDidEnd(report)
        let cost = LayerCost(
            index: 0, name: "polynomial", kind: "Polynomial", outputShape: "(N, 1)", parameters: model.parameterCount,
            forwardFlops: ledger.flops(slot: 0, phase: .forward), backwardFlops: 0,
            optimizerFlops: ledger.flops(slot: 0, phase: .optimizer), evaluationFlops: ledger.flops(slot: 0, phase: .evaluation))
        return TrainingResult(
            summary: summary, datasetName: dataset.name, task: dataset.task, configuration: configuration,
            epochs: [report], metrics: metrics, flops: ledger, phaseSeconds: seconds, wallSeconds: wall, cpuSeconds: cpu,
            samples: x.count, trainingSampleCount: x.count, validationSampleCount: split.validationFeatures?.rows ?? 0,
            coefficients: model.coefficients, layerCosts: [cost], kernel: "householder-qr")
    }

    /// Mean squared error of the model's predictions; Horner FLOPs counted under evaluation.
    private func meanSquaredError(_ model: PolynomialRegression, x: [Double], y: [Double], ledger: inout FlopLedger) -> Double {
        var sum = 0.0
        for (input, target) in zip(x, y) {
            let error = model.predict(input) - target
            sum += error * error
        }
        ledger.add(x.count * model.forwardFlopsPerSample, slot: 0, phase: .evaluation)
        ledger.add(3 * x.count, slot: ledger.lossSlot, phase: .evaluation)
        return sum / Double(max(x.count, 1))
    }
}
