import Foundation
import Testing

/// The issue's experiment in small: a PyTorch MLP of three widths, three runs each, wrapped and
/// compared by model size. Each width must be one point with its parameters, quality and
/// intervals, the energy compared must be the training's (startup excluded), and the scaling
/// exponent against parameters must come with its interval.
@Suite(.enabled(if: FrameworkPython.shouldRun, "needs FOOTPRINT_TEST_PYTHON (.ci/python-env.sh)"))
struct FrameworkCompareTests {
    static let widths = [16, 64, 256]

    static func geometricMean(_ values: [Double]) -> Double {
        exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
    }

    @Test func threeWidthsOfAWrappedPyTorchMLPAreThreePointsComparedOnTrainingEnergy() throws {
        let python = try FrameworkPython.requirePath()
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let example = FrameworkPython.repository.appendingPathComponent("python/examples/torch_mlp.py").path
        var trainingJoules: [Int: [Double]] = [:]
        var wholeJoules: [Int: [Double]] = [:]
        for width in Self.widths {
            let (_, repeated) = try FrameworkPython.wrap(
                binary, in: directory, options: ["--repeat", "3", "--tag", "torch-width", "--name", "torch mlp H=\(width)"],
                program: [python, example, "--hidden", "\(width)", "--epochs", "3"])
            let runs = try #require(repeated["runs"] as? [[String: Any]], "\(repeated.keys.sorted())")
            #expect(runs.count == 3)
            for run in runs {
                let energy = try #require(run["energy"] as? [String: Any])
                trainingJoules[width, default: []].append(try #require(energy["trainingJoules"] as? Double, "\(energy)"))
                wholeJoules[width, default: []].append(try #require(energy["joules"] as? Double))
            }
        }
        let outcome = try binary.run(["compare", "--db", "runs.sqlite", "--tag", "torch-width", "--json"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let points = try #require(summary["points"] as? [[String: Any]])
        #expect(points.count == 3, "\(points)")
        let byParameters = Dictionary(points.compactMap { p in (p["parameters"] as? Int).map { ($0, p) } }) { a, _ in a }
        for width in Self.widths {
            // torch_mlp.py: Linear(64, H) → ReLU → Linear(H, 10), as PyTorch counts it.
            let parameters = 64 * width + width + width * 10 + 10
            let point = try #require(byParameters[parameters], "no point with \(parameters) parameters: \(points)")
            #expect((point["runs"] as? [Any])?.count == 3)
            let quality = try #require(point["quality"] as? [String: Any], "no quality for H=\(width)")
            #expect(quality["metric"] is String)
            let joules = try #require(point["joules"] as? [String: Any])
            let median = try #require(joules["median"] as? Double)
            let low = try #require(joules["low"] as? Double), high = try #require(joules["high"] as? Double)
            #expect(low <= median && median <= high)
            // The training's energy, not the whole process's: startup (importing torch) is out.
            // A point's median is the log-normal one, the geometric mean of its runs.
            let training = Self.geometricMean(try #require(trainingJoules[width]))
            let whole = Self.geometricMean(try #require(wholeJoules[width]))
            #expect(abs(median - training) <= 1e-6 * training, "H=\(width): compared \(median) J, training \(training) J")
            #expect(median < whole)
            let startup = try #require(point["startupJoules"] as? [String: Any], "no startup column for H=\(width)")
            #expect((startup["median"] as? Double ?? 0) > 0)
        }
        let scaling = try #require(summary["scaling"] as? [String: Any], "no scaling exponent: \(summary["conclusion"] ?? "")")
        #expect(scaling["exponent"] is Double)
        #expect(scaling["low"] is Double && scaling["high"] is Double, "\(scaling)")
        #expect((scaling["points"] as? Int) == 3)
        let conclusion = try #require(summary["conclusion"] as? String)
        #expect(conclusion.lowercased().contains("startup"), "the text does not say which energy it compared: \(conclusion)")
        #expect(!conclusion.contains("Quality is not compared"))
    }
}
