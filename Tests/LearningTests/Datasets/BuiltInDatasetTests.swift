import Testing
import Vocabulary
@testable import Learning

@Suite("Built-in datasets and the catalog")
struct BuiltInDatasetTests {
    @Test func seedRegressionIsTheLecturesFivePointsTrainedOnAll() throws {
        let dataset = try DatasetCatalog.load("seed-regression")
        #expect(dataset.features.shape == [5, 1])
        #expect(dataset.features.scalars == [-3.1, 1.2, 4.3, 6.2, 9.1])
        #expect(dataset.targets.scalars == [23.7, 31.3, 79.9, 101.9, 205.5])
        #expect(dataset.task == .regression)
        #expect(dataset.evaluationPolicy == .trainOnAll)
        #expect(dataset.source?.contains("Bourmaud") == true)
    }

    @Test func seedClassificationIsTheLecturesFivePointsInThreeClasses() throws {
        let dataset = try DatasetCatalog.load("seed-classification")
        #expect(dataset.features == Tensor([[1.2, -3.4], [2.3, 2.8], [-0.7, 1.2], [3.2, -0.4], [-1.3, 2.3]]))
        #expect(dataset.labels == [0, 0, 1, 1, 2])
        #expect(dataset.task == .classification(classCount: 3))
        #expect(dataset.outputCount == 3)
        #expect(dataset.evaluationPolicy == .trainOnAll)
    }

    @Test func everyBuiltInNameLoadsUnderThatName() throws {
        #expect(DatasetCatalog.builtInNames == ["seed-regression", "seed-classification", "terrain", "digits"])
        for name in DatasetCatalog.builtInNames {
            #expect(try DatasetCatalog.load(name).name == name)
        }
    }

    @Test func rejectsAnUnknownNameListingTheKnownOnes() throws {
        #expect(throws: LearningError.unknownDataset(name: "mnist", known: DatasetCatalog.builtInNames)) {
            try DatasetCatalog.load("mnist")
        }
        #expect(throws: LearningError.unknownDataset(name: "csv:", known: DatasetCatalog.builtInNames)) {
            try DatasetCatalog.load("csv:")
        }
        #expect(throws: LearningError.unknownDataset(name: "idx:only-one-path", known: DatasetCatalog.builtInNames)) {
            try DatasetCatalog.load("idx:only-one-path")
        }
    }

    @Test func suggestsTheNameAUserProbablyMeant() {
        #expect(DatasetCatalog.suggestion(for: "digit") == "digits")
        #expect(DatasetCatalog.suggestion(for: "Terrain") == "terrain")
        #expect(DatasetCatalog.suggestion(for: "seed-regresion") == "seed-regression")
        #expect(DatasetCatalog.suggestion(for: "houses.csv") == "csv:houses.csv")
        #expect(DatasetCatalog.suggestion(for: "imagenet") == nil)
    }

    @Test func splitsIDXSpecsAtTheFirstComma() throws {
        let paths = try #require(DatasetCatalog.idxPaths("a/images,b/labels"))
        #expect(paths.images == "a/images")
        #expect(paths.labels == "b/labels")
        #expect(DatasetCatalog.idxPaths("no-comma") == nil)
        #expect(DatasetCatalog.idxPaths(",labels") == nil)
    }

    @Test func picksTheIDXSplitWhoseFilesExistWhenPathsHoldCommas() throws {
        let directory = try DatasetTestSupport.TemporaryDirectory()
        defer { directory.remove() }
        let images = try directory.write("train,images", bytes: DatasetTestSupport.idx(dimensions: [1, 1, 2], data: [0, 255]))
        let labels = try directory.write("labels", bytes: DatasetTestSupport.idx(dimensions: [1], data: [4]))
        let paths = try #require(DatasetCatalog.idxPaths("\(images),\(labels)"))
        #expect(paths.images == images)
        #expect(paths.labels == labels)
        let dataset = try DatasetCatalog.load("idx:\(images),\(labels)")
        #expect(dataset.labels == [4])
    }
}
