import Foundation
import RunStore
import Testing

/// `footprint compare` on a database of known runs: repeats become one point, and `--json`
/// prints exactly the documented keys.
@Suite struct CompareCommandTests {
    /// Three repeats of H = 100 and three of H = 1000 (about 10× the energy), measured, with a
    /// validation MSE; returns the database path.
    private func recordRepeats(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("runs.sqlite").path
        let database = try RunDatabase.open(path: path)
        let start = Date(timeIntervalSince1970: 1_736_935_200)
        for (hidden, joules, mse) in [(100, 38.0, 0.05), (1000, 380.0, 0.048)] {
            for factor in [1.0, 1.02, 0.98] {
                var run = RunRecord(name: "mlp-h\(hidden)", kind: .train, startedAt: start, host: "testhost")
                run.modelName = "mlp:1-\(hidden)-1"
                run.parameterCount = Int64(3 * hidden + 1)
                run.dataset = "terrain"
                run.hyperparametersJSON = #"{"hidden":"\#(hidden)","layers":"1","model":"mlp","seed":"42"}"#
                run.tags = ["repeat:h\(hidden)"]
                let id = try database.insertRun(run)
                run.id = id
                run.flopsTotal = Int64(hidden) * 1_000_000
                run.energyJoules = joules * factor
                run.energyProvenance = .measured
                try database.updateRun(run)
                try database.insertMetrics([MetricRecord(runID: id, name: "mse", value: mse, split: .validation)])
                try database.finishRun(id: id, status: .completed, endedAt: start.addingTimeInterval(2), wallSeconds: 2, cpuSeconds: 2)
            }
        }
        try database.close()
        return path
    }

    @Test func jsonPrintsOnePointPerConfigurationWithExactlyTheDocumentedKeys() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try recordRepeats(in: directory)
        let outcome = try binary.run(["compare", "--json", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["points", "pareto", "ratios", "scaling", "conclusion"])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { $0["label"] as? String } == ["H = 100", "H = 1000"])
        #expect(points.map { $0["runs"] as? [Int] } == [[1, 2, 3], [4, 5, 6]])
        for point in points {
            #expect(Set(point.keys) == ["label", "model", "runs", "parameters", "flops", "joules", "resolved", "quality"])
            #expect(Set(try #require(point["joules"] as? [String: Any]).keys) == ["median", "low", "high"])
            #expect(Set(try #require(point["quality"] as? [String: Any]).keys) == ["metric", "median"])
            #expect(point["resolved"] as? Bool == true)
        }
        let ratios = try #require(object["ratios"] as? [[String: Any]])
        #expect(ratios.count == 1)
        #expect(Set(ratios[0].keys) == ["of", "to", "median", "low", "high", "distinguishable"])
        #expect(ratios[0]["of"] as? String == "H = 1000" && ratios[0]["to"] as? String == "H = 100")
        #expect(ratios[0]["distinguishable"] as? Bool == true)
        let median = try #require(ratios[0]["median"] as? Double)
        #expect(abs(median - 10) < 0.01)
        // Two sizes: no exponent is claimed.
        #expect(object["scaling"] is NSNull)
        #expect((object["conclusion"] as? String)?.hasPrefix("H = 1000 (mlp:1-1000-1) used 10× (") == true)
        // --json writes no report.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("Reports").path))
    }

    @Test func markdownAndConclusionCarryTheInterval() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try recordRepeats(in: directory)
        let outcome = try binary.run(["compare", "--db", path, "-o", "out/compare.md"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains(", 95%, 3 runs each) the energy of H = 100"))
        let markdown = try String(contentsOf: directory.appendingPathComponent("out/compare.md"), encoding: .utf8)
        #expect(markdown.contains("6 runs in 2 configurations compared"))
        #expect(markdown.contains("## Energy ratios"))
    }

    @Test func jsonWithAnOutputFileIsAUsageError() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try binary.run(["compare", "--json", "-o", "x.md", "--db", "none.sqlite"], in: directory)
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("--json prints the comparison and writes no file"))
    }
}
