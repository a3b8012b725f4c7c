import Foundation
import RunStore
import Testing

/// `runs`, `show`, `show --job`, `report` and `compare` of runs whose name, tags, job key,
/// node and error came from a hostile program: the terminal gets escapes, never control
/// characters; long names are cut; the Markdown has no control byte; `--json` keeps the original.
@Suite(.timeLimit(.minutes(2))) struct TerminalTextTests {
    static let retitle = "\u{1B}]0;pwned\u{07}"
    static let longName = "evil" + retitle + "a\nb\u{202E}" + String(repeating: "n", count: 10_000)
    static let jobKey = "job\u{1B}[2J\r"
    static let node = "node\u{1B}]0;x\u{07}\t1"

    /// Two ranks of one job with hostile strings, the second with losses of ±9e307 and an R² of
    /// 1e300; returns the database path.
    private func recordHostileRuns(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("runs.sqlite").path
        let database = try RunDatabase.open(path: path)
        let start = Date(timeIntervalSince1970: 1_736_935_200)
        for rank in 0..<2 {
            var run = RunRecord(name: Self.longName, kind: .wrap, startedAt: start, host: "host\u{1B}[31m")
            run.tags = ["tag\u{1B}[5m", "line\nbreak"]
            run.modelName = "model\u{1B}]8;;http://x\u{07}"
            run.command = String(decoding: try JSONEncoder().encode(["python", "train.py\n\u{1B}[2J"]), as: UTF8.self)
            run.jobKey = Self.jobKey
            run.rank = rank
            run.localRank = rank
            run.worldSize = 2
            run.node = Self.node
            let id = try database.insertRun(run)
            run.id = id
            run.energyJoules = 10
            run.energyProvenance = .measured
            run.cpuSeconds = 1
            try database.updateRun(run)
            try database.insertMeterEnergy([
                MeterEnergyRecord(runID: id, meter: "rapl\u{1B}[1m", zone: "package-0\n", joules: 10, includedInTotal: true)
            ])
            for index in 1...4 {
                var epoch = EpochRecord(runID: id, epochIndex: index)
                epoch.trainLoss = index % 2 == 0 ? 9e307 : -9e307
                epoch.validationLoss = index % 2 == 0 ? -9e307 : 9e307
                epoch.r2 = 1e300
                epoch.wallSeconds = 0.5
                epoch.elapsedSeconds = 0.5 * Double(index)
                try database.appendEpoch(epoch)
            }
            try database.insertMetrics([MetricRecord(runID: id, name: "r2", value: 1e300, split: .validation)])
            try database.finishRun(
                id: id, status: .failed, endedAt: start.addingTimeInterval(2), errorText: "Traceback\u{1B}[2J\nline 2\u{7F}", exitStatus: 1,
                wallSeconds: 2, cpuSeconds: 1)
        }
        try database.close()
        return path
    }

    /// No control character but the newlines between lines, and no line wider than `width`.
    private func expectTerminalSafe(_ text: String, width: Int, _ command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let controls = text.unicodeScalars.filter {
            $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value))
        }
        #expect(
            controls.isEmpty, "\(command) printed control characters \(controls.map { String($0.value, radix: 16) })",
            sourceLocation: sourceLocation)
        let widest = text.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest <= width, "\(command) printed a line of \(widest) characters", sourceLocation: sourceLocation)
    }

    @Test func runsShowsNamesEscapedAndCutOneRowPerRun() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let outcome = try binary.run(["runs", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        expectTerminalSafe(outcome.standardOutput, width: 300, "runs")
        let lines = outcome.standardOutput.split(separator: "\n")
        #expect(lines.count == 4, "header, rule and one row per run:\n\(outcome.standardOutput)")
        let row = try #require(lines.last)
        #expect(row.contains("evil\\e]0;pwned\\x07a\\nb\\u{202E}nnn"))
        #expect(row.contains("…"))
        #expect(row.contains("job\\e[2J\\r") && row.contains("node\\e]0;x\\x07\\t1"))
    }

    @Test func runsJSONKeepsTheExactOriginalStrings() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let outcome = try binary.run(["runs", "--json", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs.first?["name"] as? String == Self.longName)
        #expect(runs.first?["tags"] as? [String] == ["tag\u{1B}[5m", "line\nbreak"])
        #expect(runs.first?["error"] as? String == "Traceback\u{1B}[2J\nline 2\u{7F}")
    }

    @Test func showPrintsEveryRecordedStringEscapedAndNoHugeNumber() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let outcome = try binary.run(["show", "1", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        expectTerminalSafe(outcome.standardOutput, width: 1100, "show")
        #expect(outcome.standardOutput.contains("Error: Traceback\\e[2J\\nline 2\\x7f"))
        #expect(outcome.standardOutput.contains("Command: python train.py\\n\\e[2J"))
        #expect(outcome.standardOutput.contains("1e+300"))
        let digits = outcome.standardOutput.split(whereSeparator: { !$0.isNumber }).map(\.count).max() ?? 0
        #expect(digits < 20, "show printed a number of \(digits) digits")
        let json = try binary.run(["show", "1", "--json", "--db", path], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["name"] as? String == Self.longName)
    }

    @Test func showJobPrintsTheJobKeyNodesAndMetersEscaped() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let outcome = try binary.run(["show", "--job", Self.jobKey, "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        expectTerminalSafe(outcome.standardOutput, width: 300, "show --job")
        #expect(outcome.standardOutput.contains("Job job\\e[2J\\r:"))
        #expect(outcome.standardOutput.contains("node\\e]0;x\\x07\\t1"))
    }

    @Test func compareConclusionIsEscapedAndItsMarkdownHasNoControlByte() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let outcome = try binary.run(["compare", "1", "2", "-o", "Reports/compare.md", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        expectTerminalSafe(outcome.standardOutput + outcome.standardError, width: 20_000, "compare")
        let bytes = try Data(contentsOf: directory.appendingPathComponent("Reports/compare.md"))
        #expect(!bytes.contains(0x1B) && !bytes.contains(0x07))
    }

    @Test func reportOfLossesSpanningNineTimesTenToThe307FinishesWithoutAControlByte() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordHostileRuns(in: directory)
        let (process, output, error) = binary.process(["report", "2", "-o", "Reports/run-2.md", "--db", path], in: directory)
        try process.run()
        // The report that looped for minutes: a hang is killed and fails here.
        #expect(FootprintBinary.waitForExit(process, seconds: 60), "footprint report did not finish within 60 s")
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        #expect(printed.contains("Reports/run-2.md"))
        let reports = directory.appendingPathComponent("Reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        #expect(files.contains("run-2.md") && files.contains { $0.hasSuffix(".svg") })
        for file in files {
            let bytes = try Data(contentsOf: reports.appendingPathComponent(file))
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "\(file) holds a control byte")
            let text = String(decoding: bytes, as: UTF8.self)
            let digits = text.split(whereSeparator: { !$0.isNumber }).map(\.count).max() ?? 0
            #expect(digits < 20, "\(file) holds a number of \(digits) digits")
        }
    }
}
