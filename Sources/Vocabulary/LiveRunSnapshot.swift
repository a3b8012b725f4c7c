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
    /// Each meter zone's energy so far, joules; the zones counted in the total add up to
    /// ``joules``. Empty when this run measures none.
    public var zoneJoules: [ZoneEnergy]
    /// Whether the run has ended (the last snapshot).
    public var finished: Bool

    /// A snapshot from explicit values (the tracker makes them; tests and other producers may too).
    public init(
        runID: Int64, uuid: String, name: String, modelName: String? = nil, dataset: String? = nil, job: JobContext? = nil,
        host: String, elapsedSeconds: Double, joules: Double? = nil, provenance: EnergyProvenance? = nil, gramsCO2e: Double? = nil,
        flops: Int64 = 0, epochsFinished: Int = 0, zoneWatts: [ZoneReading] = [], zoneJoules: [ZoneEnergy] = [], finished: Bool = false
    ) {
        self.runID = runID
        self.uuid = uuid
        self.name = name
        self.modelName = modelName
        self.dataset = dataset
        self.job = job
        self.host = host
        self.elapsedSeconds = elapsedSeconds
        self.joules = joules
        self.provenance = provenance
        self.gramsCO2e = gramsCO2e
        self.flops = flops
        self.epochsFinished = epochsFinished
        self.zoneWatts = zoneWatts
        self.zoneJoules = zoneJoules
        self.finished = finished
    }

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

        /// A reading of `meterZone`.
        public init(_ meterZone: MeterZone, watts: Double) {
            self.init(meter: meterZone.meter, zone: meterZone.zone, watts: watts)
        }

        /// The meter zone read.
        public var meterZone: MeterZone { MeterZone(meter: meter, zone: zone) }
    }

    /// One meter zone's energy since the run started.
    public struct ZoneEnergy: Sendable, Equatable {
        /// The meter (`rapl`, `perf`, `nvml`, `estimate`).
        public var meter: String
        /// The zone (`package-0`, `cpu`, …).
        public var zone: String
        /// Joules since the run started.
        public var joules: Double
        /// Whether these joules are part of the run's total (false for a zone inside another,
        /// such as core inside package, and for an estimate kept beside a measured figure).
        public var includedInTotal: Bool

        /// A zone's energy.
        public init(meter: String, zone: String, joules: Double, includedInTotal: Bool) {
            self.meter = meter
            self.zone = zone
            self.joules = joules
            self.includedInTotal = includedInTotal
        }

        /// The meter zone measured.
        public var meterZone: MeterZone { MeterZone(meter: meter, zone: zone) }
    }
}
