import Testing
@testable import Learning

@Suite("CSV loader: well-formed files")
struct CSVLoaderTests {
    typealias Support = DatasetTestSupport

    @Test func loadsRegressionWithTheLastColumnAsLabel() throws {
        let loaded = try Support.parseCSV("x1,x2,y\n1,2,0.5\n3,4,-1.25\n", task: .regression)
        let dataset = loaded.dataset
        #expect(dataset.task == .regression)
        #expect(dataset.features == Tensor([[1, 2], [3, 4]]))
        #expect(dataset.targets.scalars == [0.5, -1.25])
        #expect(dataset.featureNames == ["x1", "x2"])
        #expect(dataset.targetName == "y")
        #expect(dataset.name == "csv:test.csv")
        #expect(dataset.evaluationPolicy == .holdOut(fraction: 0.2))
        #expect(loaded.classNames.isEmpty)
    }

    @Test func choosesTheLabelColumnByNameAnywhereInTheRow() throws {
        let loaded = try Support.parseCSV("a,price,b\n1,100.5,2\n3,200.25,4\n", labelColumn: "price")
        #expect(loaded.dataset.features == Tensor([[1, 2], [3, 4]]))
        #expect(loaded.dataset.targets.scalars == [100.5, 200.25])
        #expect(loaded.dataset.featureNames == ["a", "b"])
        #expect(loaded.dataset.targetName == "price")
    }

    @Test func mapsStringClassesToIndicesInSortedOrder() throws {
        let text = "length,width,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n"
        let loaded = try Support.parseCSV(text)
        #expect(loaded.dataset.task == .classification(classCount: 3))
        #expect(loaded.classNames == ["setosa", "versicolor", "virginica"])
        #expect(loaded.dataset.labels == [2, 0, 1, 0])
    }

    @Test func sortsNumericClassesByValueNotText() throws {
        let loaded = try Support.parseCSV("x,digit\n1,10\n2,9\n3,2\n4,9\n5,2.0\n", task: .classification)
        #expect(loaded.classNames == ["2", "9", "10"])
        #expect(loaded.dataset.labels == [2, 1, 0, 1, 0])
    }

    @Test func automaticTaskTakesFewIntegersAsClassesAndRealsAsRegression() throws {
        let fewIntegers = try Support.parseCSV("x,y\n1,0\n2,1\n3,2\n4,1\n")
        #expect(fewIntegers.dataset.task == .classification(classCount: 3))
        let reals = try Support.parseCSV("x,y\n1,0.5\n2,1\n3,2\n")
        #expect(reals.dataset.task == .regression)
        let manyIntegers = (0..<30).map { "\($0),\($0 * 1000)" }.joined(separator: "\n")
        #expect(try Support.parseCSV("x,price\n" + manyIntegers).dataset.task == .regression)
        let words = try Support.parseCSV("x,y\n1,cat\n2,dog\n")
        #expect(words.dataset.task == .classification(classCount: 2))
    }

    @Test func honoursRFC4180QuotingWithEscapedQuotesAndLineBreaks() throws {
        let text = "\"width, cm\",\"label\"\n\"1.5\",\"he said \"\"hi\"\"\"\n2,\"two\nlines\"\n3,plain\n"
        let loaded = try Support.parseCSV(text)
        #expect(loaded.dataset.featureNames == ["width, cm"])
        #expect(loaded.dataset.features.scalars == [1.5, 2, 3])
        #expect(loaded.classNames == ["he said \"hi\"", "plain", "two\nlines"])
        #expect(loaded.dataset.labels == [0, 2, 1])
    }

    @Test func countsPhysicalLinesInsideQuotedFieldsWhenReportingErrors() throws {
        let text = "x,label\n1,\"a\nb\nc\"\n2,ok\nbad,ok\n"
        let error = try #require(Support.malformed { try Support.parseCSV(text) })
        #expect(error.location == "line 6, column x")
    }

    @Test func detectsSemicolonAndTabSeparatorsFromTheHeader() throws {
        let semicolons = try Support.parseCSV("a;b;y\n1;2;3.5\n", task: .regression)
        #expect(semicolons.dataset.features.scalars == [1, 2])
        #expect(semicolons.dataset.targets.scalars == [3.5])
        let tabs = try Support.parseCSV("a\tb\ty\n1\t2\t3.5\n", task: .regression)
        #expect(tabs.dataset.featureNames == ["a", "b"])
        #expect(tabs.dataset.targets.scalars == [3.5])
    }

    @Test func acceptsByteOrderMarkCRLFSpacesAndBlankLines() throws {
        let text = "\u{FEFF}x , y\r\n 1 , 2.5 \r\n\r\n3,4.5\r\n\r\n\n"
        let loaded = try Support.parseCSV(text, task: .regression)
        #expect(loaded.dataset.featureNames == ["x"])
        #expect(loaded.dataset.features.scalars == [1, 3])
        #expect(loaded.dataset.targets.scalars == [2.5, 4.5])
    }

    @Test func acceptsALastLineWithoutLineBreakAndExponents() throws {
        let loaded = try Support.parseCSV("x,y\n1e3,-2.5E-1\n0x10,+7", task: .regression)
        #expect(loaded.dataset.features.scalars == [1000, 16])
        #expect(loaded.dataset.targets.scalars == [-0.25, 7])
    }

    @Test func loadsFromAFileAndNamesTheDatasetAfterItsPath() throws {
        let directory = try Support.TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("houses.csv", text: "rooms,price\n3,250000.5\n4,320000\n")
        let loaded = try CSVLoader.load(path: path, labelColumn: "price", task: .regression)
        #expect(loaded.dataset.name == "csv:\(path)")
        #expect(loaded.dataset.targets.scalars == [250000.5, 320000])
        let viaCatalog = try DatasetCatalog.load("csv:\(path)", labelColumn: "rooms", task: .classification)
        #expect(viaCatalog.task == .classification(classCount: 2))
        #expect(viaCatalog.featureNames == ["price"])
    }
}
