import Foundation

/// What Footprint logs into an MLflow run: a finished run's facts as plain numbers and text, so
/// the caller maps its own run document into it and this module needs nothing of the rest.
///
/// A figure that is unknown stays `nil` and is not sent: MLflow would show a 0 as a measurement.
public struct MLflowRunFacts: Sendable, Hashable {
    /// One epoch's energy, logged as `footprint_epoch_energy_joules` with the epoch as step.
    public struct EpochEnergy: Sendable, Hashable {
        /// The epoch's index (MLflow's step), from 0.
        public var index: Int
        /// The epoch's energy in joules; `nil` when it is unknown (the epoch is then not logged).
        public var joules: Double?
        /// When the epoch ended; the metric's timestamp (the run's end when `nil`).
        public var endedAt: Date?

        /// An epoch's energy.
        ///
        /// - Parameters:
        ///   - index: The epoch's index, MLflow's step.
        ///   - joules: Its energy in joules, `nil` when unknown.
        ///   - endedAt: When it ended, `nil` to use the run's end.
        public init(index: Int, joules: Double?, endedAt: Date? = nil) {
            self.index = index
            self.joules = joules
            self.endedAt = endedAt
        }
    }

    /// Footprint's run UUID (tag `footprint_run_uuid`).
    public var runUUID: String
    /// How the energy was obtained, as Footprint prints it (tag `footprint_provenance`).
    public var provenance: String
    /// The meters that measured the run (tag `footprint_meters`, comma-separated).
    public var meterNames: [String]
    /// The whole run's energy in joules, startup included (`footprint_energy_joules`).
    public var energyJoules: Double?
    /// The training's energy in joules, startup excluded; equal to `energyJoules` when the run
    /// has no startup phase (`footprint_training_energy_joules`).
    public var trainingEnergyJoules: Double?
    /// The run's emissions in grams CO2e (`footprint_co2e_grams`).
    public var gramsCO2e: Double?
    /// The run's floating-point operations (`footprint_flops`).
    public var flops: Double?
    /// The run's wall time in seconds (`footprint_seconds`).
    public var seconds: Double?
    /// The epochs' energies (`footprint_epoch_energy_joules`, step = epoch index).
    public var epochs: [EpochEnergy]
    /// When the run ended: the timestamp of the whole-run metrics.
    public var endedAt: Date

    /// A finished run's facts.
    ///
    /// - Parameters:
    ///   - runUUID: Footprint's run UUID.
    ///   - provenance: How the energy was obtained, as Footprint prints it.
    ///   - meterNames: The meters that measured the run.
    ///   - energyJoules: The whole run's energy in joules, `nil` when unknown.
    ///   - trainingEnergyJoules: The energy without startup in joules, `nil` when unknown.
    ///   - gramsCO2e: The emissions in grams CO2e, `nil` when unknown.
    ///   - flops: The floating-point operations, `nil` when unknown.
    ///   - seconds: The wall time in seconds, `nil` when unknown.
    ///   - epochs: The epochs' energies.
    ///   - endedAt: When the run ended.
    public init(
        runUUID: String, provenance: String, meterNames: [String], energyJoules: Double?, trainingEnergyJoules: Double?,
        gramsCO2e: Double?, flops: Double?, seconds: Double?, epochs: [EpochEnergy], endedAt: Date
    ) {
        self.runUUID = runUUID
        self.provenance = provenance
        self.meterNames = meterNames
        self.energyJoules = energyJoules
        self.trainingEnergyJoules = trainingEnergyJoules
        self.gramsCO2e = gramsCO2e
        self.flops = flops
        self.seconds = seconds
        self.epochs = epochs
        self.endedAt = endedAt
    }
}
