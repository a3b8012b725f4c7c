import Foundation
import RunStore
import Testing

/// `footprint compare` on wrapped programs: stored runs with a startup are compared on their
/// training energy, and a real `wrap` of a program that sends model, train_begin, epoch and
/// result events gives points with model facts, quality and a startup.
@Suite struct CompareCommandWrappedTests {
    /// Two widths × three wrapped runs as `wrap` stores them: 1 s of startup costing 30 J, then
    /// 10 J or 40 J of training. Whole runs (40 J against 70 J) would read 1.75×; training reads 4×.
    private func recordWrappedRuns(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("runs.sqlite").path
        let database = try RunDatabase.open(path: path)
        let start = Date(timeIntervalSince1970: 1_736_935_200)
        for (width, training, accuracy) in [(16, 10.0, 0.89), (64, 40.0, 0.95)] {
            for factor in [1.0, 1.02, 0.98] {
                var run = RunRecord(name: "torch mlp H=\(width)", kind: .wrap, startedAt: start, host: "testhost")
                run.command = #"["python","train.py","--hidden","\#(width)"]"#
                run.modelName = "mlp-\(width)"
                run.parameterCount = Int64(74 * width + 10)
                run.flopsPerSample = Int64(6 * (74 * width + 10))
                run.tags = ["torch-width"]
                let id = try database.insertRun(run)
                run.id = id
                run.flopsTotal = Int64(6 * (74 * width + 10)) * 8_000
                run.startupSeconds = 1
                run.startupJoules = 30 * factor
                run.energyJoules = (30 + training) * factor
                run.energyProvenance = .measured
                try database.updateRun(run)
                try database.insertMetrics([MetricRecord(runID: id, name: "accuracy", value: accuracy, split: .validation)])
                try database.finishRun(id: id, status: .completed, endedAt: start.addingTimeInterval(3), wallSeconds: 3, cpuSeconds: 3)
            }
        }
        try database.close()
        return path
    }

    @Test func storedWrappedRunsAreComparedOnTrainingEnergyWithTheirStartupBeside() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try recordWrappedRuns(in: directory)
        let json = try binary.run(["compare", "--json", "--db", path, "--tag", "torch-width"], in: directory)
        #expect(json.status == 0, "\(json.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { $0["model"] as? String } == ["mlp-16", "mlp-64"])
        #expect(points.map { $0["parameters"] as? Int } == [1_194, 4_746])
        #expect(points.map { $0["flops"] as? Int } == [57_312_000, 227_808_000])
        #expect(points.map { $0["runs"] as? [Int] } == [[1, 2, 3], [4, 5, 6]])
        for point in points {
            let startup = try #require(point["startupJoules"] as? [String: Any])
            #expect(abs((startup["median"] as? Double ?? 0) - 30) < 0.5)
            #expect((point["quality"] as? [String: Any])?["median"] is Double)
        }
        let ratio = try #require((object["ratios"] as? [[String: Any]])?.first)
        #expect(abs((ratio["median"] as? Double ?? 0) - 4) < 0.01)
        let text = try binary.run(["compare", "--db", path, "--tag", "torch-width", "-o", "out/compare.md"], in: directory)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("mlp-64 used 4.0× ("))
        #expect(text.standardOutput.contains(" the training energy of mlp-16 for 6.0 percentage points higher "))
        #expect(text.standardOutput.contains("Energy: training only, startup excluded ("))
        #expect(!text.standardOutput.contains("Quality is not compared"))
        let markdown = try String(contentsOf: directory.appendingPathComponent("out/compare.md"), encoding: .utf8)
        #expect(markdown.contains(" Startup |"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aWrappedProgramsModelAndResultEventsGiveItsPointModelFactsQualityAndAStartup() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
            import json, os, sys
            width = int(sys.argv[1])
            with open(os.environ["FOOTPRINT_EVENTS"], "w") as f:
                def send(event): f.write(json.dumps(event) + "\\n"); f.flush()
                send({"event": "model", "name": "mlp-%d" % width, "parameters": 74 * width + 10, "flops_per_sample": 6 * (74 * width + 10)})
                send({"event": "train_begin"})
                send({"event": "epoch", "index": 1, "samples": 100, "loss": 0.5, "accuracy": 0.5})
                send({"event": "result", "accuracy": 0.9 if width > 16 else 0.8})
            """
        for width in [16, 16, 64] {
            let outcome = try binary.run(
                ["wrap", "--db", "runs.sqlite", "--tag", "w", "--", "python3", "-c", script, "\(width)"], in: directory)
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        let outcome = try binary.run(["compare", "--json", "--db", "runs.sqlite", "--tag", "w"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { $0["runs"] as? [Int] } == [[1, 2], [3]])
        #expect(points.map { $0["model"] as? String } == ["mlp-16", "mlp-64"])
        #expect(points.map { $0["parameters"] as? Int } == [1_194, 4_746])
        // FLOPs per sample × the epochs' samples.
        #expect(points.map { $0["flops"] as? Int } == [716_400, 2_847_600])
        // The result event is the run's quality, not the last epoch's 50%.
        #expect(points.map { ($0["quality"] as? [String: Any])?["median"] as? Double } == [0.8, 0.9])
        for point in points { #expect(point["startupJoules"] is [String: Any], "\(point)") }
        #expect((object["conclusion"] as? String)?.contains("Quality is not compared") == false)
    }
}
