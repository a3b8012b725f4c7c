import Foundation
import Testing

/// `python/examples/torch_terrain.py` rebuilds Footprint's terrain profile, split and
/// standardisation in Python for the PyTorch side of the demo: the same rows must come out, or
/// the comparison would set PyTorch on other data. A least-squares line has one answer for
/// given rows, so the validation MSE that `footprint train --model poly --degree 1` reaches must
/// equal the script's to rounding; another split (another seed) moves it by far more.
@Suite(.enabled(if: FrameworkPython.shouldRun, "needs FOOTPRINT_TEST_PYTHON (.ci/python-env.sh)"))
struct TorchTerrainDataTests {
    private func scriptMSE(seed: Int, python: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            FrameworkPython.repository.appendingPathComponent("python/examples/torch_terrain.py").path, "--check-data", "--seed", "\(seed)",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(FrameworkPython.environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["validation_count"] as? Int == 410)
        return try #require(object["linear_validation_mse"] as? Double)
    }

    private func footprintMSE(seed: Int) throws -> Double {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(
            [
                "train", "--db", "runs.sqlite", "--meter", "estimate", "--dataset", "terrain", "--model", "poly", "--degree", "1",
                "--seed", "\(seed)", "--json",
            ], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        return try #require((object["metrics"] as? [String: Any])?["mse"] as? Double)
    }

    @Test func thePyTorchTerrainScriptSplitsAndScalesExactlyAsFootprintsTrainer() throws {
        let python = try FrameworkPython.requirePath()
        let script42 = try scriptMSE(seed: 42, python: python)
        let footprint42 = try footprintMSE(seed: 42)
        #expect(abs(script42 - footprint42) <= 1e-6 * footprint42, "script \(script42) m², footprint \(footprint42) m²")
        let script7 = try scriptMSE(seed: 7, python: python)
        #expect(abs(script7 - footprint42) > 1e-3 * footprint42, "the check cannot tell splits apart")
        #expect(abs(script7 - (try footprintMSE(seed: 7))) <= 1e-6 * script7)
    }
}
