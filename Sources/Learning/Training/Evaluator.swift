import Vocabulary

/// Computes loss and quality metrics of a network on the evaluation split, in the data's units.
struct Evaluator {
    let task: TaskKind
    let targetShift: [Float]
    let targetScale: [Float]
    let threads: Int
    private let batchSize = 512

    init(task: TaskKind, targetShift: [Float], targetScale: [Float], threads: Int) {
        self.task = task
        self.targetShift = targetShift
        self.targetScale = targetScale
        self.threads = threads
    }

    /// Factor that turns an MSE on standardised targets into one in the target's units
    /// (exact for one target column; the mean of the column variances otherwise).
    var lossScale: Double {
        guard task == .regression else { return 1 }
        return targetScale.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(targetScale.count, 1))
    }

    /// Metrics on the validation split when there is one, else on the training data.
    func metrics(network: Sequential, trainLoss: Double, split: DataSplit, ledger: inout FlopLedger) -> QualityMetrics {
        let onValidation = split.validationFeatures != nil
        let features = split.validationFeatures ?? split.trainFeatures
        let targets = split.validationTargets ?? split.trainTargets
        let (lossValue, predictions, predictionValues) = predict(network: network, features: features, targets: targets, ledger: &ledger)
        var metrics = QualityMetrics(trainLoss: trainLoss, split: onValidation ? .validation : .train)
        if onValidation { metrics.validationLoss = lossValue * lossScale }
        switch task {
        case .classification:
            var correct = 0
            for row in 0..<targets.rows where predictions[row] == Int(targets[row, 0]) { correct += 1 }
            metrics.accuracy = Double(correct) / Double(targets.rows)
            ledger.add(targets.rows, slot: ledger.lossSlot, phase: .evaluation)
        case .regression:
            // Back to the target's units: y = z·scale + shift.
            var sse = 0.0, sum = 0.0, sumSquares = 0.0
            let columns = targets.columns
            for row in 0..<targets.rows {
                for column in 0..<columns {
                    let scale = Double(targetScale[column]), shift = Double(targetShift[column])
                    let truth = Double(targets[row, column]) * scale + shift
                    let predicted = Double(predictionValues[row * columns + column]) * scale + shift
                    sse += (truth - predicted) * (truth - predicted)
                    sum += truth
                    sumSquares += truth * truth
                }
            }
            let n = Double(targets.count)
            let sst = sumSquares - sum * sum / n
            metrics.mse = sse / n
            metrics.r2 = sst > 0 ? 1 - sse / sst : nil
            ledger.add(targets.count * 8, slot: ledger.lossSlot, phase: .evaluation)
        }
        return metrics
    }

    /// Runs the network over `features` in batches; returns the mean loss, the predicted class
    /// of each row (classification) and the raw outputs (regression).
    func predict(network: Sequential, features: Tensor, targets: Tensor, ledger: inout FlopLedger) -> (
        loss: Double, classes: [Int], outputs: [Float]
    ) {
        let loss: any Loss = task == .regression ? MeanSquaredError() : SoftmaxCrossEntropy()
        let x = Matrix(rows: 0, columns: 0), y = Matrix(rows: 0, columns: 0)
        var classes: [Int] = []
        var outputs: [Float] = []
        var lossSum = 0.0
        var start = 0
        while start < features.rows {
            let count = min(batchSize, features.rows - start)
            x.assign(features.gatheringRows(start..<(start + count)))
            y.assign(targets.gatheringRows(start..<(start + count)))
            let output = network.forward(x, ledger: &ledger, phase: .evaluation, threads: threads)
            lossSum += loss.evaluate(output: output, targets: y, gradient: nil, ledger: &ledger, phase: .evaluation) * Double(count)
            if task == .regression {
                outputs.append(contentsOf: output.buffer)
            } else {
                for row in 0..<count {
                    var best = 0
                    for k in 1..<output.columns where output[row, k] > output[row, best] { best = k }
                    classes.append(best)
                }
                ledger.add(count * output.columns, slot: ledger.lossSlot, phase: .evaluation)
            }
            start += count
        }
        return (lossSum / Double(max(features.rows, 1)), classes, outputs)
    }
}
