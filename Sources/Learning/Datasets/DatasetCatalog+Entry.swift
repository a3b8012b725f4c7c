extension DatasetCatalog {
    /// Everything the library and the command line know about one named dataset: its name,
    /// one line of help, how to load it and the hyper-parameters that train it out of the box.
    ///
    ///     let tiny = DatasetCatalog.Entry(
    ///         name: "four-points", help: "Four points on a line, for regression.",
    ///         defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 4, epochs: 10, batchSize: 4, learningRate: 0.01)
    ///     ) { try Dataset(name: "four-points", features: x, targets: y, task: .regression) }
    ///     DatasetCatalog.register(tiny)
    public struct Entry: Sendable {
        /// What a user types after `--dataset` (`terrain`).
        public var name: String
        /// One sentence on what the data is, for listings.
        public var help: String
        /// Hyper-parameters that train it out of the box.
        public var defaults: TrainingDefaults
        /// Builds the dataset; called on every ``DatasetCatalog/load(_:labelColumn:task:)``.
        public var load: @Sendable () throws -> Dataset

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - name: The name to load it by; not `csv:…` or `idx:…`, which name files.
        ///   - help: One sentence on what the data is.
        ///   - defaults: Hyper-parameters that train it out of the box.
        ///   - load: Builds the dataset, named `name`.
        public init(name: String, help: String, defaults: TrainingDefaults, load: @escaping @Sendable () throws -> Dataset) {
            self.name = name
            self.help = help
            self.defaults = defaults
            self.load = load
        }
    }

    /// The datasets built into the library, in the order to list them.
    static let builtInEntries: [Entry] = [
        Entry(
            name: "seed-regression", help: "The lecture's 5 points (x, y), for regression; trained and evaluated on all five.",
            defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 500, batchSize: 5, learningRate: 0.02),
            load: { try SeedDatasets.makeRegression() }),
        Entry(
            name: "seed-classification", help: "The lecture's 5 points in R², in 3 classes; trained and evaluated on all five.",
            defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 200, batchSize: 5, learningRate: 0.02),
            load: { try SeedDatasets.makeClassification() }),
        Entry(
            name: "terrain", help: "A rugged synthetic elevation profile of 2,049 points, for regression.",
            defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 100, epochs: 200, batchSize: 32, learningRate: 0.01),
            load: { try TerrainProfile.makeDataset() }),
        Entry(
            name: "digits", help: "1,797 handwritten digits as 8×8 images, in 10 classes (UCI, CC BY 4.0).",
            defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 30, batchSize: 32, learningRate: 0.002),
            load: { try DigitsDataset.makeDataset() }),
    ]
}
