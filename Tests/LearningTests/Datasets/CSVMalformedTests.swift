import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Learning

@Suite("CSV loader: malformed files")
struct CSVMalformedTests {
    typealias Support = DatasetTestSupport

    private func error(_ text: String, labelColumn: String? = nil, task: TaskHint = .automatic) throws -> Support.Malformed {
        try #require(Support.malformed { try Support.parseCSV(text, labelColumn: labelColumn, task: task) })
    }

    @Test func reportsAMissingFileWithItsPath() throws {
        let missing = "/nonexistent-footprint-dir/data.csv"
        let error = try #require(Support.malformed { try CSVLoader.load(path: missing) })
        #expect(error.path == missing)
        #expect(error.location == "open")
        #expect(error.problem.contains("cannot open"))
        #expect(error.problem.contains("check the path"))
    }

    @Test func reportsADirectoryInsteadOfReadingIt() throws {
        let directory = try Support.TemporaryDirectory()
        defer { directory.remove() }
        let error = try #require(Support.malformed { try CSVLoader.load(path: directory.path) })
        #expect(error.problem.contains("directory"))
    }

    @Test func refusesAFIFOInsteadOfWaitingForAWriter() throws {
        let directory = try Support.TemporaryDirectory()
        defer { directory.remove() }
        let fifo = directory.path + "/pipe.csv"
        try #require(mkfifo(fifo, 0o600) == 0)
        let error = try #require(Support.malformed { try CSVLoader.load(path: fifo) })
        #expect(error.location == "open")
        #expect(error.problem.contains("not a regular file"))
    }

    @Test func reportsAnEmptyFile() throws {
        for text in ["", "\n\n  \n"] {
            let error = try error(text)
            #expect(error.location == "line 1")
            #expect(error.problem.contains("empty"))
        }
    }

    @Test func reportsAHeaderWithoutRows() throws {
        let error = try error("x,y\n")
        #expect(error.location == "line 2")
        #expect(error.problem.contains("no data rows"))
    }

    @Test func reportsWrongColumnCountWithExpectedAndGot() throws {
        let error = try error("a,b,y\n1,2,3\n4,5,6,7\n")
        #expect(error.location == "line 3")
        #expect(error.problem.contains("expected 3 fields"))
        #expect(error.problem.contains("got 4"))
    }

    @Test func reportsANonNumericCellWithItsLineColumnAndText() throws {
        let error = try error("a,b,y\n1,2,3\n4,abc,6\n")
        #expect(error.location == "line 3, column b")
        #expect(error.problem.contains("'abc' is not a number"))
    }

    @Test func truncatesAHugeCellInTheMessage() throws {
        let cell = String(repeating: "z", count: 5000)
        let error = try error("a,y\n\(cell),1\n")
        #expect(error.location == "line 2, column a")
        #expect(error.problem.contains("…"))
        #expect(error.problem.count < 300)
    }

    @Test func reportsAnEmptyCell() throws {
        let error = try error("a,b,y\n1,,3\n")
        #expect(error.location == "line 2, column b")
        #expect(error.problem.contains("empty"))
    }

    @Test func rejectsNaNAndInfinityInFeaturesWithTheRow() throws {
        for cell in ["nan", "NaN", "inf", "-infinity", "1e999"] {
            let error = try error("x,y\n1,2\n\(cell),3\n")
            #expect(error.location == "line 3, column x", "cell \(cell)")
            #expect(error.problem.contains("not finite"), "cell \(cell)")
        }
    }

    @Test func rejectsNonFiniteRegressionLabelsAndValuesBeyondFloat32() throws {
        let label = try error("x,y\n1,2.5\n2,nan\n", task: .regression)
        #expect(label.location == "line 3, column y")
        #expect(label.problem.contains("not finite"))
        let huge = try error("x,y\n1e39,2.5\n")
        #expect(huge.location == "line 2, column x")
        #expect(huge.problem.contains("Float32"))
    }

    @Test func rejectsTextLabelsWhenRegressionIsAsked() throws {
        let error = try error("x,y\n1,2.5\n2,cat\n", task: .regression)
        #expect(error.location == "line 3, column y")
        #expect(error.problem.contains("'cat' is not a number"))
        #expect(error.problem.contains("classification"))
    }

    @Test func reportsAMissingLabelColumnListingTheColumnsAndAGuess() throws {
        let error = try error("area,rooms,prices\n1,2,3\n", labelColumn: "price")
        #expect(error.location == "line 1")
        #expect(error.problem.contains("no column is named 'price'"))
        #expect(error.problem.contains("area, rooms, prices"))
        #expect(error.problem.contains("did you mean 'prices'"))
    }

    @Test func rejectsDuplicateAndSingleColumnHeaders() throws {
        let duplicate = try error("a,b,a\n1,2,3\n")
        #expect(duplicate.location == "line 1, column a")
        #expect(duplicate.problem.contains("columns 1 and 3"))
        let single = try error("y\n1\n2\n")
        #expect(single.location == "line 1")
        #expect(single.problem.contains("one column"))
    }

    @Test func failsFastOnATenMegabyteLineWithoutLineBreak() throws {
        let line = [UInt8](repeating: UInt8(ascii: "7"), count: 10 << 20)
        let clock = ContinuousClock()
        var error: Support.Malformed?
        let elapsed = clock.measure {
            error = Support.malformed { try CSVLoader.parse(line, path: "big.csv") }
        }
        let found = try #require(error)
        #expect(found.location == "line 1")
        #expect(found.problem.contains("longer than 1 MiB"))
        #expect(elapsed < .seconds(5))
    }

    @Test func reportsInvalidUTF8WithItsLine() throws {
        var bytes = Array("x,y\n1,2\n".utf8)
        bytes += [UInt8(ascii: "3"), UInt8(ascii: ","), 0xC3, 0x28, UInt8(ascii: "\n")]
        let error = try #require(Support.malformed { try CSVLoader.parse(bytes, path: "latin.csv") })
        #expect(error.path == "latin.csv")
        #expect(error.location == "line 3")
        #expect(error.problem.contains("UTF-8"))
    }

    @Test func reportsAnUnterminatedQuoteAtTheLineItOpens() throws {
        let error = try error("x,y\n1,2\n3,\"open\n4,5\n")
        #expect(error.location == "line 3")
        #expect(error.problem.contains("never closed"))
    }

    @Test func reportsTextAfterAClosingQuote() throws {
        let error = try error("x,y\n1,\"a\"b\n")
        #expect(error.location == "line 2")
        #expect(error.problem.contains("after a closing double quote"))
    }

    @Test func describesTheErrorWithFileLineAndProblemInOneSentence() throws {
        do {
            _ = try Support.parseCSV("a,y\nq,1\n")
            Issue.record("expected an error")
        } catch let error as LearningError {
            #expect(error.description.hasPrefix("test.csv, line 2, column a: 'q' is not a number"))
        }
    }
}
