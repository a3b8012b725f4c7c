import Learning
import Vocabulary

/// Samples/s and GFLOP/s of plain SGD steps of MLP IN-H-OUT on synthetic data.
package struct MLPTrainingBenchmark: Sendable {
    /// What one measurement found.
    package struct Result: Sendable, Codable, Equatable {
        package var samplesPerSecond: Double
        /// All FLOPs the ledger counted (matrix products, bias, ReLU, loss, SGD) per second.
        package var gflopsPerSecond: Double
        /// The matrix-product part only, per second.
        package var matmulGflopsPerSecond: Double
        package var kernel: String
        package var threads: Int
        package var steps: Int
        package var batchSize: Int
        package var seconds: Double
        /// The last step's loss (finite when the steps really trained).
        package var finalLoss: Double
        /// CPU seconds of the whole process over the timed steps (samplers included).
        package var processCPUSeconds: Double
        /// CPU seconds of the thread that ran the steps.
        package var threadCPUSeconds: Double
    }

    package var architecture: MLPArchitecture
    package var batchSize: Int
    package var steps: Int
    package var threads: Int

    /// Creates the benchmark.
    ///
    /// - Parameters:
    ///   - architecture: The MLP (784-256-10 by default in the CLI).
    ///   - batchSize: Samples per step.
    ///   - steps: Timed steps.
    ///   - threads: Threads for the matrix kernel.
    package init(architecture: MLPArchitecture, batchSize: Int, steps: Int, threads: Int) {
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
    package func run(between: () throws -> Void = {}) throws -> Result {
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
