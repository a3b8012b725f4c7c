import Energy
import Footprint
import Foundation
import Learning
import Vocabulary

/// `footprint bench`: runs the chosen benchmark groups and gathers one table of figures and
/// ratios, each reference measured side by side in the same process or a subprocess.
package struct BenchmarkSuite: Sendable {
    /// A group of benchmarks.
    package enum Group: String, Sendable, CaseIterable, Codable {
        case matmul, mlp, tracking, metrics, store
    }

    package var groups: [Group]
    /// MLP shape and steps (784-256-10, batch 128 by default in the CLI).
    package var inputs: Int
    package var hidden: Int
    package var outputs: Int
    package var batchSize: Int
    package var steps: Int
    /// Thread counts: the matmul and MLP groups run each; tracking uses the first.
    package var threadCounts: [Int]
    package var meterOptions: MeterOptions
    /// Where `Benchmarks/numpy_mlp.py` is, when not found from the current directory.
    package var numpyScriptPath: String?
    /// Skip the numpy subprocess.
    package var skipNumpy = false

    /// Creates a suite.
    package init(
        groups: [Group], inputs: Int, hidden: Int, outputs: Int, batchSize: Int, steps: Int,
        threadCounts: [Int], meterOptions: MeterOptions = MeterOptions()
    ) {
        self.groups = groups
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.batchSize = batchSize
        self.steps = steps
        self.threadCounts = threadCounts
        self.meterOptions = meterOptions
    }

    /// Everything one `footprint bench` found.
    package struct Report: Sendable, Codable {
        package var rows: [BenchmarkRow]
        /// The MLP figures at the first thread count (the keys `bench mlp --json` promises).
        package var mlp: MLPTrainingBenchmark.Result?
        /// numpy's samples/s at the first thread count (the `mlp` figures' own), when it ran.
        package var numpySamplesPerSecond: Double?
        package var kernel: String
        package var cpuModel: String
        package var logicalCPUs: Int
        /// The system BLAS compared with, if one was found.
        package var blas: String?
        package var notes: [String]
    }

    /// Runs the groups in order: matmul, mlp, tracking, metrics, store.
    ///
    /// - Parameter progress: Called with a line before each group (for standard error).
    /// - Returns: The report.
    /// - Throws: `LearningError` for bad sizes, `EnergyError` when no meter opens, `RunStoreError`
    ///   when the temporary store fails.
    package func run(progress: (String) -> Void = { _ in }) throws -> Report {
        let machine = MachineDescription.current()
        var report = Report(
            rows: [], mlp: nil, numpySamplesPerSecond: nil, kernel: MatrixMultiply.kernelName,
            cpuModel: machine.cpuModel ?? "unknown CPU", logicalCPUs: machine.cpuCount ?? ProcessInfo.processInfo.activeProcessorCount,
            blas: nil, notes: [])
        let architecture = MLPArchitecture(inputs: inputs, hiddenLayers: 1, hiddenWidth: hidden, outputs: outputs)
        try architecture.validate()
        for (name, value) in [("--batch-size", batchSize), ("--steps", steps)] where value < 1 {
            throw LearningError.invalidHyperparameter(name: name, value: "\(value)", allowed: "must be at least 1")
        }
        if groups.contains(.matmul) {
            let blas = SystemBLAS()
            report.blas = blas?.description
            if blas == nil {
                report.notes.append(
                    "no system BLAS found (\(SystemBLAS.candidates.joined(separator: ", "))): matmul has no reference; `apt-get install libopenblas0-pthread` adds one"
                )
            } else if let core = blas?.coreName, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
                MatrixMultiply.kernelName == "avx512", !["SkylakeX", "Cooperlake", "SapphireRapids"].contains(core)
            {
                // An AVX-512 CPU served by a pre-AVX-512 OpenBLAS kernel: the mis-detection.
                report.notes.append(
                    "OPENBLAS_CORETYPE is unset: Debian's OpenBLAS may pick a slow kernel on this CPU (OPENBLAS_CORETYPE=SkylakeX fixes it); it reports core \(core)"
                )
            }
            progress("matmul: our \(MatrixMultiply.kernelName) kernel" + (blas.map { " vs \($0.description)" } ?? ""))
            report.rows += MatmulBenchmark(
                inputs: inputs, hidden: hidden, outputs: outputs, batchSize: batchSize, threadCounts: threadCounts
            ).run(blas: blas)
        }
        if groups.contains(.mlp) {
            report.rows += try runMLP(architecture: architecture, report: &report, progress: progress)
            progress("mlp: the FLOP ledger's share of a step on mlp:1-10-1")
            report.rows += try LedgerOverheadBenchmark().run()
        }
        if groups.contains(.tracking) {
            progress("tracking: \(architecture.description) with and without an energy monitor (3 × 3 runs of \(steps) steps)")
            let training = MLPTrainingBenchmark(
                architecture: architecture, batchSize: batchSize, steps: steps, threads: threadCounts.first ?? 1)
            report.rows += try TrackingOverheadBenchmark(training: training, meterOptions: meterOptions).run()
            if let executable = WrapOverheadBenchmark.selfExecutable() {
                let wrapped = WrapOverheadBenchmark(executable: executable).run(progress: progress)
                report.rows += wrapped.rows
                report.notes += wrapped.notes
            } else {
                report.notes.append("wrap overhead skipped: not running from a footprint binary")
            }
        }
        if groups.contains(.metrics) {
            progress("metrics: tracked \(architecture.description) with the /metrics endpoint off and on (3 × 2 runs of \(steps) steps)")
            let training = MLPTrainingBenchmark(
                architecture: architecture, batchSize: batchSize, steps: steps, threads: threadCounts.first ?? 1)
            report.rows += try MetricsOverheadBenchmark(training: training, meterOptions: meterOptions).run()
        }
        if groups.contains(.store) {
            progress("store: 864,000 power samples and 10,000 runs in a temporary database")
            report.rows += try StoreBenchmark().run()
        }
        return report
    }

    /// The MLP rows, each divided by numpy measured at the row's own thread count just before it.
    private func runMLP(architecture: MLPArchitecture, report: inout Report, progress: (String) -> Void) throws -> [BenchmarkRow] {
        let reference = skipNumpy ? nil : NumpyReference.locate(explicitPath: numpyScriptPath)
        if !skipNumpy, reference == nil {
            report.notes.append(
                "numpy reference skipped: Benchmarks/numpy_mlp.py not found from here (run from the checkout or pass --numpy-script)")
        }
        var blasByThreads: [String] = []
        var failures: [String] = []
        var rows: [BenchmarkRow] = []
        for threads in threadCounts {
            let threadText = "\(threads) thread\(threads == 1 ? "" : "s")"
            var numpy: Double?
            var numpyName: String?
            if let reference {
                progress("mlp: numpy reference (\(architecture.description), batch \(batchSize), \(steps) steps, \(threadText))")
                switch reference.run(inputs: inputs, hidden: hidden, outputs: outputs, batchSize: batchSize, steps: steps, threads: threads)
                {
                case .success(let result):
                    numpy = result.samplesPerSecond
                    numpyName = "numpy \(result.numpy ?? "?"), \(threadText)"
                    if rows.isEmpty { report.numpySamplesPerSecond = result.samplesPerSecond }
                    blasByThreads.append("\(threadText): \(result.blas ?? "BLAS unknown")")
                case .failure(let failure):
                    if !failures.contains(failure.reason) { failures.append(failure.reason) }
                }
            }
            progress("mlp: \(architecture.description), batch \(batchSize), \(steps) steps, \(threadText)")
            let result = try MLPTrainingBenchmark(architecture: architecture, batchSize: batchSize, steps: steps, threads: threads).run()
            if report.mlp == nil { report.mlp = result }
            let suffix = "\(architecture.description) b\(batchSize), \(threadText)"
            rows.append(
                BenchmarkRow(
                    group: "mlp", name: "training \(suffix)", value: result.samplesPerSecond, unit: "samples/s",
                    referenceValue: numpy, referenceName: numpyName,
                    goal: threads == 1 && numpy != nil ? "≥ 1.2× numpy" : nil,
                    goalMet: threads == 1 ? numpy.map { result.samplesPerSecond >= 1.2 * $0 } : nil,
                    note: "kernel \(result.kernel), loss \(String(format: "%.3f", result.finalLoss))"))
            rows.append(
                BenchmarkRow(
                    group: "mlp", name: "ledger FLOP rate \(suffix)", value: result.gflopsPerSecond, unit: "GFLOP/s",
                    goal: threads == 1 ? "≥ 40 GFLOP/s" : nil, goalMet: threads == 1 ? result.gflopsPerSecond >= 40 : nil,
                    note: String(format: "of which matrix products %.1f GFLOP/s", result.matmulGflopsPerSecond)))
        }
        if !blasByThreads.isEmpty {
            report.notes.append(
                "numpy ran at each row's thread count (FOOTPRINT_NUMPY_THREADS), so each ratio compares equal threads; its BLAS at \(blasByThreads.joined(separator: "; ")); OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for that subprocess only"
            )
        }
        for reason in failures { report.notes.append("numpy reference skipped: \(reason)") }
        return rows
    }
}
