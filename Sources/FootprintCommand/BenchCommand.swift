import ArgumentParser
import Energy
import Footprint
import FootprintBenchmarks
import Foundation
import Reporting
import RunModel
import RunStore

/// `footprint bench`: how fast Footprint trains and how little measuring costs, beside
/// references measured in the same run (a system BLAS, numpy, an untracked run).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the matrix kernel, MLP training, tracking and live-metrics overhead and the run store.",
        discussion: """
            Prints one table of figures and ratios (ratio > 1: ours is faster). Build in release first (`swift build -c release`): debug builds are 10-50× slower. The matmul group compares with a system BLAS found at run time (libopenblas.so.0 or libblas.so.3) when there is one; the mlp group runs Benchmarks/numpy_mlp.py beside ours when python3 has numpy. Timings are the best of three rounds (matmul) or the median of interleaved runs (tracking), because this kind of machine is shared and noisy.
            """)

    @Argument(help: ArgumentHelp("mlp, matmul, tracking, metrics, store or all.", valueName: "group"))
    var group: String = "all"

    @Option(help: "Threads for the kernel (default: 1 and 2 for matmul and mlp, 1 for tracking and metrics).")
    var threads: Int?

    @Option(help: "Timed training steps for mlp and tracking.")
    var steps: Int = 1000

    @Option(help: "MLP input width.")
    var inputs: Int = 784

    @Option(help: "MLP hidden width.")
    var hidden: Int = 256

    @Option(help: "MLP output width (classes).")
    var outputs: Int = 10

    @Option(name: .customLong("batch-size"), help: "Samples per step.")
    var batchSize: Int = 128

    @Option(
        name: .customLong("numpy-script"), help: ArgumentHelp("Path of numpy_mlp.py when not run from the checkout.", valueName: "path"))
    var numpyScript: String?

    @Flag(name: .customLong("no-numpy"), help: "Do not run the numpy reference.")
    var noNumpy = false

    @Flag(help: "Print one JSON object on stdout and nothing else there.")
    var json = false

    @Option(
        name: .customLong("db-url"),
        help: ArgumentHelp(
            "Also time the store engines side by side: epoch commits and power samples in SQLite and in this postgres:// database (a scratch schema, dropped afterwards).",
            valueName: "url"))
    var databaseURL: String?

    func validate() throws {
        guard group == "all" || BenchmarkSuite.Group(rawValue: group) != nil else {
            throw ValidationError("Unknown benchmark '\(group)': choose mlp, matmul, tracking, metrics, store or all.")
        }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256, got \(threads).") }
        for (name, value) in [
            ("--steps", steps), ("--inputs", inputs), ("--hidden", hidden), ("--outputs", outputs), ("--batch-size", batchSize),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value).")
        }
        if outputs < 2 { throw ValidationError("--outputs must be at least 2 classes for the softmax loss, got \(outputs).") }
    }

    func run() throws {
        let groups = group == "all" ? BenchmarkSuite.Group.allCases : [BenchmarkSuite.Group(rawValue: group)].compactMap { $0 }
        var suite = BenchmarkSuite(
            groups: groups, inputs: inputs, hidden: hidden, outputs: outputs, batchSize: batchSize, steps: steps,
            threadCounts: threads.map { [$0] } ?? [1, 2],
            meterOptions: MeterOptions.fromEnvironment(ProcessInfo.processInfo.environment))
        suite.numpyScriptPath = numpyScript
        suite.skipNumpy = noNumpy
        let quiet = json
        var report: BenchmarkSuite.Report
        do {
            report = try suite.run { line in if !quiet { printError(line) } }
            if let databaseURL {
                if !quiet { printError("store engines: SQLite against \(RunStoreLocation.redacting(databaseURL))") }
                report.rows += try Self.engineRows(url: databaseURL)
            }
        } catch {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
        if json {
            print(try Self.jsonText(report))
        } else {
            print(Self.render(report))
        }
    }

    /// The report as one JSON object; the MLP's `samplesPerSecond`, `gflopsPerSecond` and
    /// `kernel` also sit at the top level, where `bench mlp --json` promises them.
    static func jsonText(_ report: BenchmarkSuite.Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any] ?? [:]
        if let mlp = report.mlp {
            object["samplesPerSecond"] = mlp.samplesPerSecond
            object["gflopsPerSecond"] = mlp.gflopsPerSecond
            object["threads"] = mlp.threads
            object["steps"] = mlp.steps
            if let numpy = report.numpySamplesPerSecond { object["ratioToNumpy"] = mlp.samplesPerSecond / numpy }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func render(_ report: BenchmarkSuite.Report) -> String {
        let rows = report.rows.map { row -> [String] in
            let reference = row.referenceValue.map { "\(figure($0, unit: row.unit)) \(row.referenceName ?? "")" } ?? ""
            let ratio = row.ratio.map { String(format: "%.2f×", $0) } ?? ""
            let goal = row.goal.map { goal in "\(goal) \(row.goalMet.map { $0 ? "✓" : "✗" } ?? "")" } ?? ""
            return [row.group, row.name, figure(row.value, unit: row.unit), reference, ratio, goal, row.note ?? ""]
        }
        var text = "Machine: \(report.cpuModel), \(report.logicalCPUs) logical CPUs; our kernel: \(report.kernel)"
        if let blas = report.blas { text += "; BLAS: \(blas)" }
        text +=
            "\n\n"
            + Table(
                headers: ["Group", "Benchmark", "Ours", "Reference", "Ratio", "Goal", "Note"], rows: rows, rightAligned: [2, 4]
            ).text()
        for note in report.notes { text += "\nnote: \(note)" }
        return text
    }

    static func figure(_ value: Double, unit: String) -> String {
        switch unit {
        case "samples/s": String(format: "%.0f", value) + " " + unit
        case "%": String(format: "%.2f%%", value)
        case "ms": String(format: "%.2f ms", value)
        case "s": String(format: "%.3f s", value)
        default: String(format: "%.1f", value) + " " + unit
        }
    }
}
