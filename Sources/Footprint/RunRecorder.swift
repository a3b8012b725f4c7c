import Energy
import Foundation
import RunModel
import RunStore
import Vocabulary

/// A run's row in the store: inserted `running` before work starts, an epoch appended as each
/// ends, power samples and the frozen prediction written as they come, and the final status.
///
/// A value: ``RunSession`` keeps it inside its lock, so its writes reach the store in order.
struct RunRecorder: Sendable {
    let database: any RunStorage
    let id: Int64
    /// The run's row as last written.
    var record: RunRecord
    /// Space set aside beside a SQLite file for the run's end, given back when a write fails.
    let spaceReserve: SpaceReserve?
    /// Floating-point operations of the epochs recorded so far.
    private(set) var flopsSoFar: Int64 = 0
    /// Epochs recorded so far.
    private(set) var epochsRecorded = 0
    /// Notes stored with the run's energy notes at the end (phase marks of a wrapped program).
    private(set) var notes: [String] = []
    /// Phase marks received; only the first ``EventLimits/keptPhaseMarks`` become notes.
    private var phaseMarks = 0
    /// Seconds since the start at the end of the last epoch, and the joules by then.
    private var lastEpochSeconds = 0.0
    private var lastJoules = 0.0

    /// Fills the row's machine, process, job and carbon columns and inserts it `running`.
    ///
    /// - Throws: `RunStoreError` when the run cannot be recorded.
    init(inserting record: RunRecord, into database: any RunStorage, options: TrackerOptions) throws {
        var record = record
        let process = ProcessIdentity.current()
        record.host = process.hostName
        record.pid = process.pid
        record.processStartTicks = process.startTicks
        record.machine = MachineDescription.current()
        record.gitCommit = MachineDescription.gitCommit()
        record.tags = Array(Set(record.tags + options.tags)).sorted()
        if record.command == nil { record.command = options.commandLine }
        record.country = options.carbon.countryCode?.uppercased()
        record.pue = options.carbon.pue
        record.node = process.hostName
        options.job?.apply(to: &record)
        record.heartbeatAt = Date()
        spaceReserve = (database as? RunDatabase).flatMap { SpaceReserve.make(besideDatabaseAt: $0.path) }
        let id = try database.insertRun(record)
        record.id = id
        self.database = database
        self.id = id
        self.record = record
    }

    /// Whether the run has not ended yet.
    var isRunning: Bool { record.status == .running }

    /// Commits one epoch with the time and energy since the previous one.
    ///
    /// - Parameters:
    ///   - metrics: What the training loop reported.
    ///   - seconds: Seconds since the start, now.
    ///   - joules: Joules counted in the total by now; nil when energy is not measured.
    /// - Returns: The stored epoch.
    /// - Throws: `RunStoreError` when the store cannot be written.
    mutating func appendEpoch(_ metrics: EpochMetrics, seconds: Double, joules: Double?) throws -> EpochRecord {
        var epoch = EpochRecord(runID: id, facts: metrics)
        if let flops = metrics.flops { flopsSoFar += Int64(flops.total) }
        epoch.wallSeconds = seconds - lastEpochSeconds
        epoch.elapsedSeconds = seconds
        if let joules {
            epoch.energyJoules = joules - lastJoules
            lastJoules = joules
        }
        lastEpochSeconds = seconds
        try database.appendEpoch(epoch)
        epochsRecorded += 1
        return epoch
    }

    /// Ends the startup of a wrapped program: stores its seconds and joules with the row, and
    /// makes the next epoch start here. Ignored once an epoch is recorded or the startup is set.
    ///
    /// - Parameters:
    ///   - seconds: Seconds since the start, now.
    ///   - joules: Joules counted in the total by now; nil when energy is not measured.
    mutating func beginTraining(seconds: Double, joules: Double?) {
        guard epochsRecorded == 0, record.startupSeconds == nil else { return }
        record.startupSeconds = seconds
        record.startupJoules = joules
        lastEpochSeconds = seconds
        if let joules { lastJoules = joules }
    }

    /// Writes power samples.
    func insertSamples(_ samples: [PowerSample]) throws {
        guard !samples.isEmpty else { return }
        try database.insertPowerSamples(
            samples.map {
                PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: $0.meter, zone: $0.zone, watts: $0.watts)
            })
    }

    /// Lets the caller fill result columns (FLOPs, model, metrics) and writes the row.
    mutating func update(_ change: (inout RunRecord) -> Void) throws {
        change(&record)
        try database.updateRun(record)
    }

    /// Writes the frozen prediction with the row.
    mutating func storePrediction(_ prediction: RunPrediction) throws {
        record.predictionJSON = JSONText.encode(prediction)
        try database.updateRun(record)
    }

    /// Writes the heartbeat; a failed heartbeat is not a failed run (the next write reports a
    /// lost store).
    func writeHeartbeat() {
        try? database.recordHeartbeat(runID: id, at: Date())
    }

    /// Notes the start of a named phase (the first ``EventLimits/keptPhaseMarks``; later ones
    /// are counted in one note at the end).
    mutating func markPhase(_ name: String, seconds: Double, joules: Double?) {
        phaseMarks += 1
        guard phaseMarks <= EventLimits.keptPhaseMarks else { return }
        let energy = joules.map { String(format: ", %.3f J into the run", $0) } ?? ""
        notes.append(String(format: "phase '%@' began at %.3f s", name, seconds) + energy)
    }

    /// Adds notes stored with the run when it finishes.
    mutating func addNotes(_ more: [String]) {
        notes += more
    }

    /// The notes to store at the end, with a count of the phase marks beyond those kept.
    var closingNotes: [String] {
        guard phaseMarks > EventLimits.keptPhaseMarks else { return notes }
        let more = EventIntake.grouped(phaseMarks - EventLimits.keptPhaseMarks)
        return notes + ["… and \(more) more phase marks (\(EventIntake.grouped(phaseMarks)) in all)"]
    }
}
