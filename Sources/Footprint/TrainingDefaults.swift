import Learning

/// Hyper-parameters that work out of the box for each built-in dataset, so that
/// `footprint train --dataset terrain --hidden 100` and `footprint train --dataset digits`
/// just work. Chosen by trying them on the datasets (see the tests that pin their quality).
public struct TrainingDefaults: Sendable, Equatable {
    public var hiddenLayers: Int
    public var hiddenWidth: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var optimizer: OptimizerKind

    /// Defaults for a dataset spec such as `terrain` or `csv:data.csv`.
    public static func forDataset(_ spec: String) -> TrainingDefaults {
        switch spec {
        case "seed-regression":
            TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 500, batchSize: 5, learningRate: 0.02, optimizer: .adamDefault)
        case "seed-classification":
            TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 200, batchSize: 5, learningRate: 0.02, optimizer: .adamDefault)
        case "terrain":
            TrainingDefaults(hiddenLayers: 1, hiddenWidth: 100, epochs: 200, batchSize: 32, learningRate: 0.01, optimizer: .adamDefault)
        case "digits":
            TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 30, batchSize: 32, learningRate: 0.002, optimizer: .adamDefault)
        default:
            TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 20, batchSize: 32, learningRate: 0.001, optimizer: .adamDefault)
        }
    }
}
