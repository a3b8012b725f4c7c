import Learning
import Vocabulary

/// Samples/s and GFLOP/s of plain SGD steps of MLP IN-H-OUT on synthetic data.
public struct MLPTrainingBenchmark: Sendable {
    /// What one measurement found.
    public struct Result: Sendable, Codable, Equatable {
        public var samplesPerSecond: Double
        /// All FLOPs the ledger counted (matrix products, bias, ReLU, loss, SGD) per second.
        public var gflopsPerSecond: Double
        /// The matrix-product part only, per second.
        public var matmulGflopsPerSecond: Double
        public var kernel: String
        public var threads: Int
        public var steps: Int
        public var batchSize: Int
        public var seconds: Double
        /// The last step's loss (finite when the steps really trained).
        public var finalLoss: Double
        /// CPU seconds of the whole process over the timed steps (samplers included).
        public var processCPUSeconds: Double
        /// CPU seconds of the thread that ran the steps.
        public var threadCPUSeconds: Double
    }

    public var architecture: MLPArchitecture
    public var batchSize: Int
    public var steps: Int
    public var threads: Int

    /// Creates the benchmark.
    ///
    /// - Parameters:
    ///   - architecture: The MLP (784-256-10 by default in the CLI).
    ///   - batchSize: Samples per step.
    ///   - steps: Timed steps.
    ///   - threads: Threads for the matrix kernel.
    public init(architecture: MLPArchitecture, batchSize: Int, steps: Int, threads: Int) {
        self.architecture = architecture
        self.batchSize = batchSize
        self.steps = steps
        self.threads = threads
    }

    /// Runs warm-up steps (a tenth, at least 5), then times `steps` steps.
    ///
    /// - Parameter between: Called between warm-up and the timed steps (the tracking benchmark
    ///   starts its monitor there).
    /// - Returns: The measurement.
    /// - Throws: `LearningError.invalidHyperparameter` for bad sizes.
    public func run(between: () throws -> Void = {}) throws -> Result {
        let loop = try SyntheticTrainingLoop(architecture: architecture, batchSize: batchSize, threads: threads)
        loop.run(steps: max(5, steps / 10))
        loop.resetLedger()
        try between()
        let cpuStart = Clocks.processCPUSeconds(), threadStart = BenchmarkTiming.threadCPUSeconds()
        let start = Clocks.monotonicSeconds()
        loop.run(steps: steps)
        let seconds = max(Clocks.monotonicSeconds() - start, 1e-9)
        let threadSeconds = BenchmarkTiming.threadCPUSeconds() - threadStart
        let processSeconds = Clocks.processCPUSeconds() - cpuStart
        return Result(
            samplesPerSecond: Double(steps * batchSize) / seconds,
            gflopsPerSecond: Double(loop.ledger.total) / seconds / 1e9,
            matmulGflopsPerSecond: Double(loop.ledger.trainingMatmulFlops) / seconds / 1e9,
            kernel: MatrixMultiply.kernelName, threads: threads, steps: steps, batchSize: batchSize,
            seconds: seconds, finalLoss: loop.lastLoss, processCPUSeconds: processSeconds,
            threadCPUSeconds: threadSeconds)
    }
}
