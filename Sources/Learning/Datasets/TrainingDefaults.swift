/// Hyper-parameters that work out of the box for a dataset, so that
/// `footprint train --dataset terrain --hidden 100` and `footprint train --dataset digits`
/// just work. Each catalog entry carries its own (``DatasetCatalog/Entry/defaults``), chosen by
/// trying them on the dataset (the quality tests pin what they reach).
public struct TrainingDefaults: Sendable, Equatable {
    public var hiddenLayers: Int
    public var hiddenWidth: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var optimizer: OptimizerKind

    /// Creates defaults.
    ///
    /// - Parameters:
    ///   - hiddenLayers: Hidden layers L of an MLP.
    ///   - hiddenWidth: Width H of each hidden layer.
    ///   - epochs: Passes over the training data.
    ///   - batchSize: Samples per minibatch.
    ///   - learningRate: Step size η.
    ///   - optimizer: SGD or Adam.
    public init(
        hiddenLayers: Int, hiddenWidth: Int, epochs: Int, batchSize: Int, learningRate: Double, optimizer: OptimizerKind = .adamDefault
    ) {
        self.hiddenLayers = hiddenLayers
        self.hiddenWidth = hiddenWidth
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
    }

    /// For data the catalog knows nothing about (`csv:`, `idx:`): a cautious rate and a
    /// medium width, which train most small tabular and image sets without diverging.
    public static let general = TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 20, batchSize: 32, learningRate: 0.001)
}
