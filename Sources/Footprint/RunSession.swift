import Carbon
import Energy
import Foundation
import Learning
import RunStore

/// One run's life in the store: inserted `running` before work starts, an epoch committed as
/// each ends, power samples flushed as they come, and a final status with energy and carbon.
///
/// A session is driven by one thread (the run's); the energy monitor samples on its own.
final class RunSession: @unchecked Sendable {
    let database: RunDatabase
    let options: TrackerOptions
    let id: Int64
    private(set) var record: RunRecord
    private let monitor: EnergyMonitor?
    private var monitorFailure: String?
    private let startSeconds = Clocks.monotonicSeconds()
    private let startCPUSeconds = Clocks.processCPUSeconds()
    private var lastEpochSeconds: Double
    private var lastJoules = 0.0
    private var epochSeconds: [Double] = []
    private var epochJoules: [Double] = []
    private(set) var prediction: RunPrediction?
    /// Built once per run for the predictions (nil when the settings cannot resolve, which
    /// the tracker has already checked).
    private lazy var calculator = try? CarbonCalculator(settings: options.carbon)
    var plannedEpochs: Int?
    /// Notes stored with the run's energy notes at the end (phase marks of a wrapped program).
    private var notes: [String] = []

    /// Inserts the run and starts measuring.
    ///
    /// - Throws: `RunStoreError` when the run cannot be recorded (nothing has run yet).
    init(database: RunDatabase, options: TrackerOptions, record: RunRecord, measureEnergy: Bool = true) throws {
        self.database = database
        self.options = options
        var record = record
        let machine = MachineInfo.current()
        let process = ProcessIdentity.current()
        record.host = process.hostName
        record.pid = process.pid
        record.processStartTicks = process.startTicks
        record.os = machine.operatingSystem
        record.kernel = machine.kernel
        record.cpuModel = machine.cpuModel
        record.cpuCount = machine.cpuCount
        record.memoryBytes = machine.memoryBytes
        record.gitCommit = MachineInfo.gitCommit()
        record.tags = Array(Set(record.tags + options.tags)).sorted()
        if record.command == nil { record.command = options.commandLine }
        record.country = options.carbon.countryCode?.uppercased()
        record.pue = options.carbon.pue
        let insertedID = try database.insertRun(record)
        record.id = insertedID
        self.record = record
        self.id = insertedID
        lastEpochSeconds = startSeconds
        guard measureEnergy else {
            monitor = nil
            return
        }
        let monitor = EnergyMonitor(options: options.meters)
        do {
            if let baseline = options.baselineSeconds { try monitor.measureIdle(seconds: baseline) }
            try monitor.start()
            self.monitor = monitor
        } catch {
            self.monitor = nil
            monitorFailure = "Energy was not measured: \(error)"
        }
        lastEpochSeconds = Clocks.monotonicSeconds()
    }

    /// Seconds since the run started, on the monotonic clock.
    var elapsedSeconds: Double { Clocks.monotonicSeconds() - startSeconds }

    /// Commits one epoch with the energy and time since the previous one.
    @discardableResult
    func recordEpoch(_ metrics: EpochMetrics) throws -> EpochRecord {
        let now = Clocks.monotonicSeconds()
        let joules = monitor?.cumulativeJoules()
        var epoch = EpochRecord(runID: id, epochIndex: metrics.index)
        epoch.trainLoss = metrics.trainLoss
        epoch.validationLoss = metrics.validationLoss
        epoch.accuracy = metrics.accuracy
        epoch.mse = metrics.mse
        epoch.r2 = metrics.r2
        epoch.samples = metrics.samples.map(Int64.init)
        if let flops = metrics.flops {
            epoch.flopsForward = Int64(flops.forward)
            epoch.flopsBackward = Int64(flops.backward)
            epoch.flopsOptimizer = Int64(flops.optimizer)
            epoch.flopsEvaluation = Int64(flops.evaluation)
        }
        epoch.secondsData = metrics.phaseSeconds["data"]
        epoch.secondsForward = metrics.phaseSeconds["forward"]
        epoch.secondsBackward = metrics.phaseSeconds["backward"]
        epoch.secondsOptimizer = metrics.phaseSeconds["optimizer"]
        epoch.secondsEvaluation = metrics.phaseSeconds["evaluation"]
        epoch.wallSeconds = now - lastEpochSeconds
        epoch.elapsedSeconds = now - startSeconds
        if let joules {
            epoch.energyJoules = joules - lastJoules
            lastJoules = joules
        }
        lastEpochSeconds = now
        try database.appendEpoch(epoch)
        try flushSamples()
        epochSeconds.append(epoch.wallSeconds ?? 0)
        if let energy = epoch.energyJoules { epochJoules.append(energy) }
        try updatePrediction()
        return epoch
    }

    private func updatePrediction() throws {
        guard let planned = plannedEpochs,
              var prediction = RunPrediction.make(
                epochSeconds: epochSeconds, epochJoules: epochJoules.count == epochSeconds.count ? epochJoules : nil,
                plannedEpochs: planned)
        else { return }
        if let calculator, epochJoules.count == epochSeconds.count {
            // The provenance is only known when the monitor stops; the wider, estimated band
            // keeps the predicted interval honest meanwhile.
            let basis = EnergyBasis.estimated
            let low = try? calculator.estimate(joules: prediction.joules.low, basis: basis, runSeconds: prediction.seconds.low)
            let mid = try? calculator.estimate(joules: prediction.joules.predicted, basis: basis, runSeconds: prediction.seconds.predicted)
            let high = try? calculator.estimate(joules: prediction.joules.high, basis: basis, runSeconds: prediction.seconds.high)
            if let low, let mid, let high {
                prediction.gramsCO2e = PredictedRange(predicted: mid.gramsCO2e, low: low.lowGramsCO2e, high: high.highGramsCO2e)
            }
        }
        self.prediction = prediction
        // The stored prediction is the one made once a tenth of the epochs (at least three)
        // had run, so a report can set an early prediction beside the outcome; the progress
        // line keeps getting fresher ones.
        let freezeAfter = max(3, (planned + 9) / 10)
        guard prediction.afterEpoch <= freezeAfter else { return }
        record.predictionJSON = JSONText.encode(prediction)
        try database.updateRun(record)
    }

    /// Writes the power samples gathered since the last flush.
    func flushSamples() throws {
        guard let monitor else { return }
        let samples = monitor.drainSamples()
        guard !samples.isEmpty else { return }
        try database.insertPowerSamples(samples.map {
            PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: $0.meter, zone: $0.zone, watts: $0.watts)
        })
    }

    /// Marks the start of a named phase with the time and energy so far; stored with the run.
    func markPhase(_ name: String) {
        let joules = monitor?.cumulativeJoules()
        let energy = joules.map { String(format: ", %.3f J into the run", $0) } ?? ""
        notes.append(String(format: "phase '%@' began at %.3f s", name, elapsedSeconds) + energy)
    }

    /// Lets the caller fill result columns (FLOPs, model, metrics) before the run is finished.
    func update(_ change: (inout RunRecord) -> Void) throws {
        change(&record)
        try database.updateRun(record)
    }

    /// Stops measuring, stores energy and carbon, and sets the final status.
    ///
    /// - Parameters:
    ///   - status: `completed`, `failed` or `interrupted`.
    ///   - errorText: Why it failed or stopped.
    ///   - exitStatus: For wrapped commands.
    ///   - processCPUSeconds: CPU seconds of the measured process tree (default: this process).
    @discardableResult
    func finish(status: RunStatus, errorText: String? = nil, exitStatus: Int32? = nil, processCPUSeconds: Double? = nil) throws -> RunRecord {
        let wall = elapsedSeconds
        let cpu = processCPUSeconds ?? (Clocks.processCPUSeconds() - startCPUSeconds)
        var notes: [String] = (monitorFailure.map { [$0] } ?? []) + self.notes
        if let monitor {
            let measurement = monitor.stop(processCPUSeconds: cpu)
            try flushSamples()
            try database.insertMeterEnergy(measurement.meters.map {
                MeterEnergyRecord(runID: id, meter: $0.name, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal)
            })
            notes += measurement.notes
            record.energyJoules = measurement.joules
            record.attributedJoules = measurement.attributedJoules
            record.energyProvenance = measurement.provenance == .measured ? .measured : .estimated
            record.idleWatts = measurement.idleWatts
            record.netJoules = measurement.netJoules
            record.estimateModel = measurement.estimateModel
            applyCarbon(joules: measurement.joules, basis: measurement.provenance == .measured ? .measured : .estimated, seconds: wall, notes: &notes)
        }
        record.energyNotesJSON = notes.isEmpty ? nil : JSONText.encode(notes)
        record.wallSeconds = wall
        record.cpuSeconds = cpu
        try database.updateRun(record)
        try database.finishRun(id: id, status: status, endedAt: Date(), errorText: errorText, exitStatus: exitStatus, wallSeconds: wall, cpuSeconds: cpu)
        record = try database.run(id: id)
        return record
    }

    private func applyCarbon(joules: Double, basis: EnergyBasis, seconds: Double, notes: inout [String]) {
        do {
            let estimate = try CarbonCalculator(settings: options.carbon).estimate(joules: joules, basis: basis, runSeconds: seconds)
            record.gramsCO2e = estimate.gramsCO2e
            record.gramsCO2eLow = estimate.lowGramsCO2e
            record.gramsCO2eHigh = estimate.highGramsCO2e
            record.intensityGramsPerKilowattHour = estimate.intensityGramsPerKilowattHour
            record.intensitySource = estimate.intensitySource
            record.intensityYear = estimate.intensityYear
            record.country = estimate.country
            record.pue = estimate.pue
            record.embodiedGrams = estimate.embodiedGramsCO2e
            record.embodiedKilograms = estimate.embodiedKilogramsCO2e
            record.lifetimeYears = estimate.lifetimeYears
        } catch {
            notes.append("CO2e was not computed: \(error)")
        }
    }
}

/// Compact JSON text for the store's JSON columns.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
