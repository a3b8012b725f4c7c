import Dispatch
import Testing
@testable import Learning

/// One catalog entry per dataset: name, help, loader and defaults in one place, and entries
/// added at run time behave like the built-in ones.
@Suite("Catalog entries and registration")
struct DatasetCatalogEntryTests {
    /// Six points on a line, class 0 left of the origin and class 1 right of it: separable, so
    /// a few hundred full-batch steps classify every point.
    static func makeSixPoints(named name: String) throws -> Dataset {
        try Dataset(
            name: name, features: Tensor([[-3], [-2], [-1], [1], [2], [3]]), targets: Tensor([[0], [0], [0], [1], [1], [1]]),
            task: .classification(classCount: 2), evaluationPolicy: .trainOnAll)
    }

    static func makeSixPointsEntry(named name: String) -> DatasetCatalog.Entry {
        DatasetCatalog.Entry(
            name: name, help: "Six points on a line, in two classes.",
            defaults: TrainingDefaults(hiddenLayers: 1, hiddenWidth: 8, epochs: 200, batchSize: 6, learningRate: 0.05),
            load: { try makeSixPoints(named: name) })
    }

    @Test func aRegisteredDatasetIsListedLoadsByNameAndTrainsWithItsDefaults() throws {
        let name = "test-six-points"
        #expect(!DatasetCatalog.helpText.contains(name))
        #expect(DatasetCatalog.register(Self.makeSixPointsEntry(named: name)))

        #expect(DatasetCatalog.helpText.contains(", \(name), "))
        #expect(DatasetCatalog.names.contains(name))
        #expect(DatasetCatalog.entry(named: name)?.help == "Six points on a line, in two classes.")
        #expect(DatasetCatalog.suggestion(for: "test-six-point") == name)

        let defaults = DatasetCatalog.defaults(for: name)
        #expect(defaults.hiddenWidth == 8 && defaults.epochs == 200 && defaults.learningRate == 0.05)
        let data = try DatasetCatalog.load(name)
        #expect(data.name == name && data.sampleCount == 6)
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: defaults.hiddenLayers, hiddenWidth: defaults.hiddenWidth), epochs: defaults.epochs,
            batchSize: defaults.batchSize, learningRate: defaults.learningRate, optimizer: defaults.optimizer)
        let result = try Trainer(configuration: configuration, dataset: data).train()
        #expect(result.epochs.count == 200)
        #expect(result.metrics.accuracy == 1, "accuracy \(result.metrics.accuracy ?? -1)")
    }

    @Test func refusesNamesThatAreTakenOrNameFiles() {
        for name in ["terrain", "digits", "", "csv:mine.csv", "idx:a,b"] {
            #expect(!DatasetCatalog.register(Self.makeSixPointsEntry(named: name)), "registered '\(name)'")
        }
        // The built-in entry is untouched.
        #expect(DatasetCatalog.defaults(for: "terrain").hiddenWidth == 100)
    }

    @Test func concurrentRegistrationsOfOneNameLetExactlyOneWinAndKeepEveryOtherName() {
        let results = Locked(Array(repeating: false, count: 64))
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let won = DatasetCatalog.register(Self.makeSixPointsEntry(named: "test-race-shared"))
            _ = DatasetCatalog.register(Self.makeSixPointsEntry(named: "test-race-\(index)"))
            _ = DatasetCatalog.helpText  // readers run alongside the writers
            results.set(index, won)
        }
        #expect(results.values.filter { $0 }.count == 1)
        let names = DatasetCatalog.names
        #expect(names.filter { $0 == "test-race-shared" }.count == 1)
        #expect((0..<64).allSatisfy { names.contains("test-race-\($0)") })
    }

    @Test func builtInEntriesCarryTheDefaultsTheCommandLineHasAlwaysUsed() {
        #expect(DatasetCatalog.builtInNames == ["seed-regression", "seed-classification", "terrain", "digits"])
        #expect(
            DatasetCatalog.defaults(for: "seed-regression")
                == TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 500, batchSize: 5, learningRate: 0.02))
        #expect(
            DatasetCatalog.defaults(for: "seed-classification")
                == TrainingDefaults(hiddenLayers: 1, hiddenWidth: 10, epochs: 200, batchSize: 5, learningRate: 0.02))
        #expect(
            DatasetCatalog.defaults(for: "terrain")
                == TrainingDefaults(hiddenLayers: 1, hiddenWidth: 100, epochs: 200, batchSize: 32, learningRate: 0.01))
        #expect(
            DatasetCatalog.defaults(for: "digits")
                == TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 30, batchSize: 32, learningRate: 0.002))
        #expect(DatasetCatalog.defaults(for: "csv:houses.csv") == .general)
        #expect(
            TrainingDefaults.general == TrainingDefaults(hiddenLayers: 1, hiddenWidth: 64, epochs: 20, batchSize: 32, learningRate: 0.001))
        // Other tests register entries in this process, so only the built-in part is fixed.
        #expect(DatasetCatalog.helpText.hasPrefix("seed-regression, seed-classification, terrain, digits, "))
        #expect(DatasetCatalog.helpText.hasSuffix(", csv:PATH or idx:IMAGES,LABELS."))
        #expect(DatasetCatalog.entries.prefix(4).allSatisfy { !$0.help.isEmpty })
    }
}

/// Results written from `concurrentPerform`'s threads.
private final class Locked: @unchecked Sendable {
    // @unchecked: `flags` is only touched on `queue`.
    private let queue = DispatchQueue(label: "results")
    private var flags: [Bool]

    init(_ flags: [Bool]) { self.flags = flags }

    func set(_ index: Int, _ value: Bool) { queue.sync { flags[index] = value } }
    var values: [Bool] { queue.sync { flags } }
}
