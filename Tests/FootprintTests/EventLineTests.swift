import Foundation
import Testing

@testable import Footprint

/// Event lines from a wrapped program: every value checked before use, every line bounded.
@Suite struct EventLineTests {
    private func refused(_ line: String) -> String? {
        guard case .failure(let error) = ProgramEvent.parse(line) else { return nil }
        return error.problem
    }

    @Test func numbersThatCannotBeAnIntegerRefuseTheLineInsteadOfTrapping() {
        let lines = [
            #"{"event":"epoch","index":1,"samples":1e300}"#, #"{"event":"epoch","index":1,"samples":1e19}"#,
            #"{"event":"epoch","index":1,"samples":-5}"#, #"{"event":"epoch","index":1,"samples":2.5}"#,
            #"{"event":"epoch","index":1,"samples":99999999999999999999999}"#, #"{"event":"epoch","index":1e300}"#,
            #"{"event":"epoch","index":-1}"#, #"{"event":"epoch","index":1.5}"#, #"{"event":"epoch","index":true}"#,
            #"{"event":"epoch","index":"3"}"#, #"{"event":"epoch","index":[3]}"#, #"{"event":"epoch","epoch":1e10}"#,
        ]
        for line in lines {
            let problem = refused(line)
            #expect(problem != nil, "accepted \(line)")
            let named = ["index", "epoch", "samples"].contains { problem?.contains("\"\($0)\" must be") == true }
            #expect(named, "\(line): \(problem ?? "")")
        }
        #expect(
            ProgramEvent.parse(#"{"event":"epoch","index":0,"samples":1000000000000000}"#)
                == .success(.epoch(EpochMetrics(index: 0, samples: 1_000_000_000_000_000))))
    }

    @Test func aBooleanIsNotTheNumberOne() {
        #expect(refused(#"{"event":"epoch","index":true}"#)?.contains("not true") == true)
        var warnings: [String] = []
        let parsed = ProgramEvent.parse(#"{"event":"epoch","index":1,"samples":true,"loss":false}"#) { warnings.append($0) }
        #expect(parsed == .success(.epoch(EpochMetrics(index: 1))))
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.contains("\"samples\" was dropped") && $0.contains("true") })
        #expect(warnings.contains { $0.contains("\"loss\" was dropped") && $0.contains("false") })
        // 1 and 0 stay numbers (Foundation bridges them to Bool too).
        #expect(ProgramEvent.parse(#"{"event":"epoch","index":1,"accuracy":1}"#) == .success(.epoch(EpochMetrics(index: 1, accuracy: 1))))
    }

    @Test func anOptionalValueOfTheWrongTypeIsDroppedWithAWarningNeverSilently() {
        var warnings: [String] = []
        let parsed = ProgramEvent.parse(#"{"event":"epoch","index":2,"loss":"0.1","accuracy":0.9,"r2":{"a":1},"mse":null}"#) {
            warnings.append($0)
        }
        #expect(parsed == .success(.epoch(EpochMetrics(index: 2, accuracy: 0.9))))
        #expect(warnings.count == 2)
        #expect(warnings.first == #"epoch 2: "loss" was dropped: it must be a number, not the string "0.1""#)
        #expect(warnings.last?.contains("\"r2\" was dropped") == true)
    }

    @Test func qualityMetricsOutsideTheirDomainAreRefused() {
        let outside = [
            #""accuracy":-7"#, #""accuracy":250"#, #""accuracy":93"#, #""acc":1.0001"#, #""loss":-1e39"#, #""val_loss":-1e39"#,
            #""mse":-1"#, #""mse":1e300"#, #""loss":1e39"#, #""r2":1e300"#, #""r2":1.5"#, #""r2":-1e7"#, #""loss":1e999"#,
        ]
        for pair in outside {
            let line = #"{"event":"epoch","index":1,"# + pair + "}"
            #expect(refused(line) != nil, "accepted \(line)")
        }
        #expect(refused(#"{"event":"epoch","index":1,"accuracy":93}"#)?.contains("0.93 for 93 %") == true)
        // The problem names the value in a few characters, never 300 digits.
        #expect(refused(#"{"event":"epoch","index":1,"r2":1e300}"#)?.contains("1e+300") == true)
        let edges = EpochMetrics(index: 1, trainLoss: -1e38, validationLoss: 1e38, accuracy: 1, mse: 0, r2: -1e6)
        #expect(
            ProgramEvent.parse(#"{"event":"epoch","index":1,"loss":-1e38,"val_loss":1e38,"accuracy":1,"mse":0,"r2":-1e6}"#)
                == .success(.epoch(edges)))
        // A negative log-likelihood may be below zero: a loss is not refused for its sign.
        #expect(
            ProgramEvent.parse(#"{"event":"epoch","index":1,"loss":-0.5,"val_loss":-1}"#)
                == .success(.epoch(EpochMetrics(index: 1, trainLoss: -0.5, validationLoss: -1))))
    }

    @Test func aPhaseNameIsBounded() {
        #expect(ProgramEvent.parse(#"{"event":"phase","name":"eval"}"#) == .success(.phase(name: "eval")))
        let long = String(repeating: "p", count: EventLimits.phaseNameCharacters + 1)
        #expect(refused(#"{"event":"phase","name":""# + long + #""}"#) != nil)
        #expect(refused(#"{"event":"phase","name":3}"#) != nil)
    }

    @Test func anErrorKeepsOnlyTheStartOfAHugeLine() {
        let error = EventLineError(line: String(repeating: "x", count: 1_000_000), problem: "not a JSON object")
        #expect(error.line.count == 120)
        #expect(error.description.count < 200)
    }

    // MARK: - Splitting

    private func split(_ chunks: [[UInt8]], limit: Int = 64) -> [EventChannelLine] {
        var splitter = EventLineSplitter(limitBytes: limit)
        var lines: [EventChannelLine] = []
        for chunk in chunks { chunk.withUnsafeBytes { splitter.feed($0) { lines.append($0) } } }
        splitter.finish { lines.append($0) }
        return lines
    }

    @Test func linesSplitAcrossReadsAreJoinedAndBlankOnesSkipped() {
        let lines = split([Array("{\"a\":".utf8), Array("1}\r\n\n  \nsecond".utf8), Array(" line\n".utf8)])
        #expect(lines == [.text("{\"a\":1}"), .text("second line")])
    }

    @Test func aLineOverTheLimitIsSkippedWholeWithOneReport() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 200)
        // Split across reads at every size, and within one read.
        #expect(split([Array(long[0..<50]), Array(long[50...]), Array("\nok\n".utf8)]) == [.tooLong(bytes: 200), .text("ok")])
        #expect(split([long + Array("\nok\n".utf8)]) == [.tooLong(bytes: 200), .text("ok")])
        #expect(split([Array(long[0..<64]), Array("\n".utf8)]) == [.text(String(repeating: "x", count: 64))])
        #expect(split([Array(long[0..<65]), Array("\n".utf8)]) == [.tooLong(bytes: 65)])
        #expect(split([long]) == [.tooLong(bytes: 200)])  // the last line, without newline
    }

    @Test func aLastLineWithoutNewlineAndInvalidUTF8IsReported() {
        #expect(split([Array("{\"a\":1}\n".utf8) + [0xFF, 0xFE, 0x41]]) == [.text("{\"a\":1}"), .invalidUTF8(bytes: 3)])
        #expect(split([[0xC3], [0x28, 0x0A]]) == [.invalidUTF8(bytes: 2)])
        #expect(split([Array("é\n".utf8)]) == [.text("é")])
    }

    @Test func fiftyMegabytesWithoutNewlineCostOnePassAndFixedMemory() {
        var splitter = EventLineSplitter()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 18)
        var lines: [EventChannelLine] = []
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            chunk.withUnsafeBytes { bytes in
                for _ in 0..<200 { splitter.feed(bytes) { lines.append($0) } }  // 52 MB
            }
            Array("\n{}\n".utf8).withUnsafeBytes { splitter.feed($0) { lines.append($0) } }
        }
        #expect(lines == [.tooLong(bytes: 200 << 18), .text("{}")])
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }
}
