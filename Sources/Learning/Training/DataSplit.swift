/// A dataset divided into training and validation rows, standardised for the network.
struct DataSplit {
    var trainFeatures: Tensor
    var trainTargets: Tensor
    var validationFeatures: Tensor?
    var validationTargets: Tensor?
    /// Per-target-column standard deviation used to standardise regression targets (1 when not).
    var targetScale: [Float]
    var targetShift: [Float]

    /// Splits with a seeded shuffle, then standardises features (and regression targets) with
    /// the training rows' statistics, so no validation information leaks into training.
    init(dataset: Dataset, policy: EvaluationPolicy, seed: UInt64, standardize: Bool) {
        var order = Array(0..<dataset.sampleCount)
        var generator = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        order.shuffle(using: &generator)
        var trainRows = order
        var validationRows: [Int] = []
        if case .holdOut(let fraction) = policy {
            let validationCount = min(max(Int((Double(order.count) * fraction).rounded()), 1), order.count - 1)
            if validationCount >= 1 && order.count >= 2 {
                validationRows = Array(order.prefix(validationCount))
                trainRows = Array(order.dropFirst(validationCount))
            }
        }
        trainRows.sort()
        validationRows.sort()
        trainFeatures = dataset.features.gatheringRows(trainRows)
        trainTargets = dataset.targets.gatheringRows(trainRows)
        if !validationRows.isEmpty {
            validationFeatures = dataset.features.gatheringRows(validationRows)
            validationTargets = dataset.targets.gatheringRows(validationRows)
        }
        targetScale = Array(repeating: 1, count: dataset.targets.columns)
        targetShift = Array(repeating: 0, count: dataset.targets.columns)
        guard standardize else { return }
        let (featureShift, featureScale) = Self.statistics(of: trainFeatures)
        Self.apply(shift: featureShift, scale: featureScale, to: &trainFeatures)
        if validationFeatures != nil { Self.apply(shift: featureShift, scale: featureScale, to: &validationFeatures!) }
        if dataset.task == .regression {
            (targetShift, targetScale) = Self.statistics(of: trainTargets)
            Self.apply(shift: targetShift, scale: targetScale, to: &trainTargets)
            if validationTargets != nil { Self.apply(shift: targetShift, scale: targetScale, to: &validationTargets!) }
        }
    }

    /// Column means and standard deviations (1 for a constant column, so it maps to 0).
    static func statistics(of tensor: Tensor) -> (shift: [Float], scale: [Float]) {
        var mean = [Double](repeating: 0, count: tensor.columns)
        var squares = [Double](repeating: 0, count: tensor.columns)
        for row in 0..<tensor.rows {
            for column in 0..<tensor.columns { mean[column] += Double(tensor[row, column]) }
        }
        let n = Double(max(tensor.rows, 1))
        for column in mean.indices { mean[column] /= n }
        for row in 0..<tensor.rows {
            for column in 0..<tensor.columns {
                let d = Double(tensor[row, column]) - mean[column]
                squares[column] += d * d
            }
        }
        let scale = squares.map { value -> Float in
            let deviation = (value / n).squareRoot()
            return deviation > 1e-12 ? Float(deviation) : 1
        }
        return (mean.map { Float($0) }, scale)
    }

    static func apply(shift: [Float], scale: [Float], to tensor: inout Tensor) {
        let columns = tensor.columns
        for row in 0..<tensor.rows {
            for column in 0..<columns {
                tensor.scalars[row * columns + column] = (tensor.scalars[row * columns + column] - shift[column]) / scale[column]
            }
        }
    }
}
