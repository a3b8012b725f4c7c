import Energy
import Foundation
import Learning

/// `footprint bench`: runs the chosen benchmark groups and gathers one table of figures and
/// ratios, each reference measured side by side in the same process or a subprocess.
public struct BenchmarkSuite: Sendable {
    /// A group of benchmarks.
    public enum Group: String, Sendable, CaseIterable, Codable {
        case matmul, mlp, tracking, store
    }

    public var groups: [Group]
    /// MLP shape and steps (784-256-10, batch 128 by default in the CLI).
    public var inputs: Int
    public var hidden: Int
    public var outputs: Int
    public var batchSize: Int
    public var steps: Int
    /// Thread counts: the matmul and MLP groups run each; tracking uses the first.
    public var threadCounts: [Int]
    public var meterOptions: MeterOptions
    /// Where `Benchmarks/numpy_mlp.py` is, when not found from the current directory.
    public var numpyScriptPath: String?
    /// Skip the numpy subprocess.
    public var skipNumpy = false
    /// Renders a comparison report of run documents (the CLI passes Reporting's); used by the
    /// store group's "compare over 1,000 runs" row.
    public var comparisonRenderer: (@Sendable ([RunDocument]) -> Int)?

    /// Creates a suite.
    public init(
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
    public struct Report: Sendable, Codable {
        public var rows: [BenchmarkRow]
        /// The MLP figures at the first thread count (the keys `bench mlp --json` promises).
        public var mlp: MLPTrainingBenchmark.Result?
        /// numpy's samples/s on one thread, when it ran.
        public var numpySamplesPerSecond: Double?
        public var kernel: String
        public var cpuModel: String
        public var logicalCPUs: Int
        /// The system BLAS compared with, if one was found.
        public var blas: String?
        public var notes: [String]
    }

    /// Runs the groups in order: matmul, mlp, tracking, store.
    ///
    /// - Parameter progress: Called with a line before each group (for standard error).
    /// - Returns: The report.
    /// - Throws: `LearningError` for bad sizes, `EnergyError` when no meter opens, `RunStoreError`
    ///   when the temporary store fails.
    public func run(progress: (String) -> Void = { _ in }) throws -> Report {
        let machine = MachineInfo.current()
        var report = Report(
            rows: [], mlp: nil, numpySamplesPerSecond: nil, kernel: MatrixMultiply.kernelName,
            cpuModel: machine.cpuModel, logicalCPUs: machine.cpuCount, blas: nil, notes: [])
        let architecture = MLPArchitecture(inputs: inputs, hiddenLayers: 1, hiddenWidth: hidden, outputs: outputs)
        try architecture.validate()
        for (name, value) in [("--batch-size", batchSize), ("--steps", steps)] where value < 1 {
            throw LearningError.invalidHyperparameter(name: name, value: "\(value)", allowed: "must be at least 1")
        }
        if groups.contains(.matmul) {
            let blas = SystemBLAS()
            report.blas = blas?.description
            if blas == nil {
                report.notes.append("no system BLAS found (\(SystemBLAS.candidates.joined(separator: ", "))): matmul has no reference; `apt-get install libopenblas0-pthread` adds one")
            } else if let core = blas?.coreName, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
                      MatrixMultiply.kernelName == "avx512", !["SkylakeX", "Cooperlake", "SapphireRapids"].contains(core) {
                // An AVX-512 CPU served by a pre-AVX-512 OpenBLAS kernel: the mis-detection.
                report.notes.append("OPENBLAS_CORETYPE is unset: Debian's OpenBLAS may pick a slow kernel on this CPU (OPENBLAS_CORETYPE=SkylakeX fixes it); it reports core \(core)")
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
            let training = MLPTrainingBenchmark(architecture: architecture, batchSize: batchSize, steps: steps, threads: threadCounts.first ?? 1)
            report.rows += try TrackingOverheadBenchmark(training: training, meterOptions: meterOptions).run()
        }
        if groups.contains(.store) {
            progress("store: 864,000 power samples and 10,000 runs in a temporary database")
            var store = StoreBenchmark()
            store.renderComparison = comparisonRenderer
            report.rows += try store.run()
        }
        return report
    }

    private func runMLP(architecture: MLPArchitecture, report: inout Report, progress: (String) -> Void) throws -> [BenchmarkRow] {
        var numpy: Double?
        var numpyName: String?
        if !skipNumpy {
            progress("mlp: numpy reference (\(architecture.description), batch \(batchSize), \(steps) steps, 1 thread)")
            if let reference = NumpyReference.locate(explicitPath: numpyScriptPath) {
                switch reference.run(inputs: inputs, hidden: hidden, outputs: outputs, batchSize: batchSize, steps: steps) {
                case .success(let result):
                    numpy = result.samplesPerSecond
                    numpyName = "numpy \(result.numpy ?? "?"), 1 thread"
                    report.numpySamplesPerSecond = result.samplesPerSecond
                    report.notes.append("numpy: \(result.blas ?? "BLAS unknown"); OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for that subprocess only")
                case .failure(let failure):
                    report.notes.append("numpy reference skipped: \(failure.reason)")
                }
            } else {
                report.notes.append("numpy reference skipped: Benchmarks/numpy_mlp.py not found from here (run from the checkout or pass --numpy-script)")
            }
        }
        var rows: [BenchmarkRow] = []
        for threads in threadCounts {
            progress("mlp: \(architecture.description), batch \(batchSize), \(steps) steps, \(threads) thread\(threads == 1 ? "" : "s")")
            let result = try MLPTrainingBenchmark(architecture: architecture, batchSize: batchSize, steps: steps, threads: threads).run()
            if report.mlp == nil { report.mlp = result }
            let suffix = "\(architecture.description) b\(batchSize), \(threads) thread\(threads == 1 ? "" : "s")"
            rows.append(BenchmarkRow(
                group: "mlp", name: "training \(suffix)", value: result.samplesPerSecond, unit: "samples/s",
                referenceValue: numpy, referenceName: numpyName,
                goal: threads == 1 && numpy != nil ? "≥ 1.2× numpy" : nil,
                goalMet: threads == 1 ? numpy.map { result.samplesPerSecond >= 1.2 * $0 } : nil,
                note: "kernel \(result.kernel), loss \(String(format: "%.3f", result.finalLoss))"))
            rows.append(BenchmarkRow(
                group: "mlp", name: "ledger FLOP rate \(suffix)", value: result.gflopsPerSecond, unit: "GFLOP/s",
                goal: threads == 1 ? "≥ 40 GFLOP/s" : nil, goalMet: threads == 1 ? result.gflopsPerSecond >= 40 : nil,
                note: String(format: "of which matrix products %.1f GFLOP/s", result.matmulGflopsPerSecond)))
        }
        return rows
    }
}
