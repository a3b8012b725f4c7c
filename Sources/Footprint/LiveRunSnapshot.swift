import Foundation
import Vocabulary

/// What a run has done so far, handed to ``TrackerOptions/liveObserver`` every
/// ``TrackerOptions/liveIntervalSeconds`` while it runs and once when it ends: the figures a
/// Prometheus endpoint or a Pushgateway push exposes.
public struct LiveRunSnapshot: Sendable, Equatable {
    /// The run's number in its store.
    public var runID: Int64
    /// The run's UUID.
    public var uuid: String
    /// The run's name.
    public var name: String
    /// Model name (`mlp:1-100-1`), when known.
    public var modelName: String?
    /// Dataset name, when known.
    public var dataset: String?
    /// The job key, rank and node, when the run is a rank of a job.
    public var job: JobContext?
    /// The host name the run records.
    public var host: String
    /// Seconds since measuring started.
    public var elapsedSeconds: Double
    /// Energy counted in the run's total so far, joules; nil when this run measures none (a
    /// rank other than local rank 0, or no meter could start).
    public var joules: Double?
    /// Whether ``joules`` is measured, estimated or mixed.
    public var provenance: EnergyProvenance?
    /// CO2e so far, grams (operational plus embodied), when energy is known.
    public var gramsCO2e: Double?
    /// Floating-point operations of the epochs finished so far.
    public var flops: Int64
    /// Epochs finished so far.
    public var epochsFinished: Int
    /// The latest power sample of each meter zone, watts.
    public var zoneWatts: [ZoneReading]
    /// Whether the run has ended (the last snapshot).
    public var finished: Bool

    /// One meter zone's latest figure.
    public struct ZoneReading: Sendable, Equatable {
        /// The meter (`rapl`, `perf`, `nvml`, `estimate`).
        public var meter: String
        /// The zone (`package-0`, `gpu-0`, …).
        public var zone: String
        /// Watts over the latest sample interval.
        public var watts: Double

        /// A zone reading.
        public init(meter: String, zone: String, watts: Double) {
            self.meter = meter
            self.zone = zone
            self.watts = watts
        }
    }
}
