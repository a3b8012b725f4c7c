import Carbon
import Vocabulary

/// This machine's training throughput and energy per FLOP, from which a run is projected.
///
/// Made by `measure(workload:threads:targetSeconds:meterOptions:)` (a short run of our kernel
/// with an `EnergyMonitor` beside it) or `fromStoredRuns(_:databasePath:limit:)` (the most
/// recent completed `footprint train` runs), or given directly in tests.
public struct ThroughputCalibration: Sendable, Codable, Equatable {
    /// Where the figures come from.
    public enum Source: String, Sendable, Codable, Equatable {
        /// A matrix product on this machine, timed now.
        case matmulKernel
        /// Training steps of the same MLP on synthetic data, timed now.
        case trainingSteps
        /// The most recent completed training runs in the store.
        case storedRuns
        /// Numbers given by the caller.
        case given
    }

    public var source: Source
    /// What ran: `"avx512 kernel, 729×256×2400, 1 thread"`, `"runs 12, 11, 9"`.
    public var workload: String
    /// Achieved throughput, GFLOP/s.
    public var gflopsPerSecond: Double
    /// Energy per FLOP, J (whole-machine energy shared out to this process by CPU time when the
    /// monitor could attribute it).
    public var joulesPerFlop: Double
    /// Whether the calibration's joules were read from counters or estimated.
    public var energyBasis: EnergyProvenance
    /// The meters and zones read, or the estimate's model and constants.
    public var energySource: String
    /// FLOPs, seconds and joules of the calibration itself.
    public var flops: Double
    public var seconds: Double
    public var joules: Double
    /// Threads the kernel used.
    public var threads: Int
    /// Matrix kernel that ran (`avx512`, `avx2`, `portable`), when known.
    public var kernel: String?
    /// Warnings and fallbacks (attribution skipped, estimated meter …).
    public var notes: [String]

    /// Creates a calibration from known figures.
    ///
    /// - Parameters:
    ///   - source: Where the figures come from.
    ///   - workload: What ran.
    ///   - gflopsPerSecond: Throughput, GFLOP/s.
    ///   - joulesPerFlop: Energy per FLOP, J.
    ///   - energyBasis: Measured or estimated joules.
    ///   - energySource: The meters, or the estimate's model.
    ///   - flops: FLOPs of the calibration.
    ///   - seconds: Its duration.
    ///   - joules: Its energy.
    ///   - threads: Threads used.
    ///   - kernel: Matrix kernel, if known.
    ///   - notes: Warnings.
    public init(
        source: Source, workload: String, gflopsPerSecond: Double, joulesPerFlop: Double,
        energyBasis: EnergyProvenance, energySource: String, flops: Double = 0, seconds: Double = 0,
        joules: Double = 0, threads: Int = 1, kernel: String? = nil, notes: [String] = []
    ) {
        self.source = source
        self.workload = workload
        self.gflopsPerSecond = gflopsPerSecond
        self.joulesPerFlop = joulesPerFlop
        self.energyBasis = energyBasis
        self.energySource = energySource
        self.flops = flops
        self.seconds = seconds
        self.joules = joules
        self.threads = threads
        self.kernel = kernel
        self.notes = notes
    }

    /// Average power while calibrating, W (0 when nothing was timed).
    public var watts: Double {
        seconds > 0 ? joules / seconds : gflopsPerSecond * 1e9 * joulesPerFlop
    }

    /// Checks that the figures can project a run.
    ///
    /// - Throws: `EstimationError.invalidInput` for a throughput ≤ 0 or an energy per FLOP < 0.
    public func validate() throws {
        guard gflopsPerSecond.isFinite, gflopsPerSecond > 0 else {
            throw EstimationError.invalidInput(
                name: "calibration throughput", value: "\(gflopsPerSecond) GFLOP/s", expected: "a positive number")
        }
        guard joulesPerFlop.isFinite, joulesPerFlop >= 0 else {
            throw EstimationError.invalidInput(
                name: "calibration energy", value: "\(joulesPerFlop) J/FLOP", expected: "a finite number ≥ 0")
        }
    }
}
