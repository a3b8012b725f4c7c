import Footprint
import Learning

/// The lecture's experiments, as `footprint demo` runs them.
public struct DemoExperiment: Sendable {
    /// Short identifier, used for tags and file names (`terrain-width`).
    public var slug: String
    /// Title for the report.
    public var title: String
    /// What the lecture asks, in one sentence.
    public var question: String
    public var dataset: String
    public var runs: [DemoRun]
    /// Trials of each run: enough for a median and a 95% interval (t on logarithms).
    public var repeats: Int = DemoPlan.repeats

    /// Creates an experiment, for a plan of one's own.
    ///
    /// - Parameters:
    ///   - slug: Identifier for tags and file names.
    ///   - title: Title for the report.
    ///   - question: What the experiment asks.
    ///   - dataset: Catalog name of the data.
    ///   - runs: Its configurations.
    ///   - repeats: Trials of each configuration (at least 1).
    public init(slug: String, title: String, question: String, dataset: String, runs: [DemoRun], repeats: Int = DemoPlan.repeats) {
        self.slug = slug
        self.title = title
        self.question = question
        self.dataset = dataset
        self.runs = runs
        self.repeats = repeats
    }
}

/// One training of an experiment.
public struct DemoRun: Sendable {
    public var name: String
    public var configuration: TrainingConfiguration

    /// Creates a configuration of an experiment.
    ///
    /// - Parameters:
    ///   - name: Run name (`terrain H=100`).
    ///   - configuration: Model and hyper-parameters; the runner sets the threads.
    public init(name: String, configuration: TrainingConfiguration) {
        self.name = name
        self.configuration = configuration
    }
}

/// The demo's experiments: polynomial degrees 1–4 on the 5 points; MLPs with H = 10, 100,
/// 1000 on the terrain profile; the 3-class classifier; three MLP sizes on `digits`.
public enum DemoPlan {
    /// Trials per configuration: three is the fewest that gives an interval (t = 4.30).
    public static let repeats = 3
    /// Least-squares fits per polynomial run before calibration: the lecture fits once. One fit
    /// to five points takes microseconds, so ``DemoCalibration`` repeats it (the same count for
    /// every degree) until the cheapest degree's energy is well above the meter's resolution.
    public static let polynomialFits = 1
    /// Epochs of the 3-class classifier before calibration: the dataset's default. Its five
    /// points train in about a millisecond an epoch, so calibration may give it more.
    public static let classifierEpochs = DatasetCatalog.defaults(for: "seed-classification").epochs

    /// Epochs of the digits MLPs before calibration: the dataset's default; calibration raises
    /// them when the smallest width would run too briefly for the meter in use.
    public static let digitsEpochs = DatasetCatalog.defaults(for: "digits").epochs

    /// The lecture's experiments, each configuration with its least work: ``DemoCalibration``
    /// raises the work on a fast machine so every comparison's cheapest run is resolved.
    ///
    /// - Parameter seed: Seed of every run.
    /// - Returns: The four experiments, in the order the demo runs them.
    public static func experiments(seed: UInt64 = 42) -> [DemoExperiment] {
        let terrain = DatasetCatalog.defaults(for: "terrain")
        let digits = DatasetCatalog.defaults(for: "digits")
        let classifier = DatasetCatalog.defaults(for: "seed-classification")
        return [
            DemoExperiment(
                slug: "polynomial-degree", title: "Polynomial regression of degree d on the lecture's 5 points",
                question:
                    "Higher degree fits the five points better; what does each degree cost? (Each run repeats the fit as often as calibration chose, so that its energy can be resolved.)",
                dataset: "seed-regression",
                runs: (1...4).map { degree in
                    DemoRun(
                        name: "poly d=\(degree)",
                        configuration: TrainingConfiguration(model: .polynomial(degree: degree), epochs: polynomialFits, seed: seed))
                }),
            DemoExperiment(
                slug: "terrain-width", title: "MLPs of width H = 10, 100, 1000 on the terrain profile",
                question: "Bigger H fits the terrain better; at what cost in FLOPs, joules and CO2e?",
                dataset: "terrain",
                runs: [10, 100, 1000].map { width in
                    DemoRun(
                        name: "terrain H=\(width)",
                        configuration: TrainingConfiguration(
                            model: .mlp(hiddenLayers: 1, hiddenWidth: width), epochs: terrain.epochs, batchSize: terrain.batchSize,
                            learningRate: terrain.learningRate, optimizer: terrain.optimizer, seed: seed))
                }),
            DemoExperiment(
                slug: "classifier", title: "The lecture's 3-class classifier on 5 points in R²",
                question: "How little does it cost to separate the lecture's five points?",
                dataset: "seed-classification",
                runs: [
                    DemoRun(
                        name: "classifier H=10",
                        configuration: TrainingConfiguration(
                            model: .mlp(hiddenLayers: 1, hiddenWidth: classifier.hiddenWidth), epochs: classifierEpochs,
                            batchSize: classifier.batchSize, learningRate: classifier.learningRate, optimizer: classifier.optimizer,
                            seed: seed))
                ]),
            DemoExperiment(
                slug: "digits-width", title: "MLPs of width H = 16, 64, 256 on the handwritten digits",
                question: "On real data, how much accuracy does each extra joule buy?",
                dataset: "digits",
                runs: [16, 64, 256].map { width in
                    DemoRun(
                        name: "digits H=\(width)",
                        configuration: TrainingConfiguration(
                            model: .mlp(hiddenLayers: 1, hiddenWidth: width), epochs: digitsEpochs, batchSize: digits.batchSize,
                            learningRate: digits.learningRate, optimizer: digits.optimizer, seed: seed))
                }),
        ]
    }
}
