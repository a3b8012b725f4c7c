import Carbon
import Energy
import Foundation
import Learning
import RunStore
import Vocabulary
import RunModel

/// One run's life in the store: inserted `running` before work starts, an epoch committed as
/// each ends, power samples flushed as they come, and a final status with energy and carbon.
///
/// The run's thread drives a session; a wrapped program's event thread and the periodic flush
/// of `wrap` touch it too, so every entry point takes `lock` (the energy monitor samples on
/// its own thread behind its own lock).
final class RunSession: @unchecked Sendable {
    // @unchecked: every mutable field is only touched while `lock` is held.
    private let lock = NSLock()
    let database: any RunStorage
    let options: TrackerOptions
    let id: Int64
    private(set) var record: RunRecord
    private let monitor: EnergyMonitor?
    private var monitorFailure: String?
    /// Space set aside beside a SQLite file for the run's end, given back when a write fails.
    private let spaceReserve: SpaceReserve?
    private let startSeconds = Clocks.monotonicSeconds()
    /// This process's CPU seconds when measuring began (after the meters' probe).
    private var startCPUSeconds = Clocks.processCPUSeconds()
    /// Seconds since the start (the monitor's, when there is one) at the end of the last epoch.
    private var lastEpochSeconds = 0.0
    private var lastJoules = 0.0
    private var flushTimer: PeriodicFlush?
    /// Writes the heartbeat and feeds ``TrackerOptions/liveObserver``; stopped by `finish`.
    private var liveTimer: PeriodicFlush?
    /// Monotonic seconds of the last heartbeat written.
    private var lastHeartbeatSeconds = Clocks.monotonicSeconds()
    /// Floating-point operations of the epochs recorded so far.
    private var flopsSoFar: Int64 = 0
    /// Epochs recorded so far.
    private var epochsRecorded = 0
    /// The latest watts of each meter zone, from the samples flushed so far.
    private var latestZoneWatts: [String: LiveRunSnapshot.ZoneReading] = [:]
    private var epochSeconds: [Double] = []
    /// Seconds inside the training loop per epoch (the phases' sum); nil once an epoch comes
    /// without phase times (wrapped programs, plain loops), and the prediction falls back.
    private var epochTrainingSeconds: [Double]? = []
    /// Whether the frozen prediction has been stored.
    private var predictionStored = false
    /// When the last prediction was made (seconds since the start): the progress line needs
    /// one a few times a second, not one per millisecond epoch.
    private var lastPredictionSeconds = -Double.infinity
    private var epochJoules: [Double] = []
    /// The latest prediction; read it from outside through ``latestPrediction``.
    private var prediction: RunPrediction?
    /// Built once per run for the predictions (nil when the settings cannot resolve, which
    /// the tracker has already checked).
    private lazy var calculator = try? CarbonCalculator(settings: options.carbon)
    /// Epochs the run plans, which lets it predict its total; set through ``plannedEpochs``.
    private var plannedEpochCount: Int?
    /// Notes stored with the run's energy notes at the end (phase marks of a wrapped program).
    private var notes: [String] = []
    /// Phase marks received; only the first ``EventLimits/keptPhaseMarks`` become notes.
    private var phaseMarks = 0

    /// Inserts the run and starts measuring.
    ///
    /// - Parameters:
    ///   - processCPUSeconds: CPU seconds of the measured process tree so far; nil means this
    ///     process (CLOCK_PROCESS_CPUTIME_ID). The estimate and the watchdog read it.
    /// - Throws: `RunStoreError` when the run cannot be recorded (nothing has run yet);
    ///   `EnergyError` when the meters chosen with `--meter` cannot measure here (the run is
    ///   then stored failed, with the reason, before any work).
    init(
        database: any RunStorage, options: TrackerOptions, record: RunRecord, measureEnergy: Bool = true,
        processCPUSeconds: (@Sendable () -> Double?)? = nil
    ) throws {
        self.database = database
        var options = options
        options.meters.processCPUSeconds = processCPUSeconds ?? { Clocks.processCPUSeconds() }
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
        record.node = process.hostName
        options.job?.apply(to: &record)
        record.heartbeatAt = Date()
        spaceReserve = (database as? RunDatabase).flatMap { SpaceReserve.make(besideDatabaseAt: $0.path) }
        let insertedID = try database.insertRun(record)
        record.id = insertedID
        self.record = record
        self.id = insertedID
        var meters = options.meters
        var measureEnergy = measureEnergy
        if let job = options.job, !job.readsHostMeters {
            // The node's host meters belong to local rank 0; this rank measures only the GPUs
            // CUDA_VISIBLE_DEVICES makes its own, and never estimates the whole machine again.
            notes.append(job.deferralNote)
            if job.hasOwnDevices, meters.permits(.nvml) {
                meters.allowedMeters = [.nvml]
                meters.disabledMeters.formUnion(["rapl", "perf"])
            } else {
                measureEnergy = false
            }
        }
        guard measureEnergy else {
            monitor = nil
            startLiveTimer()
            return
        }
        let monitor = EnergyMonitor(options: meters)
        do {
            if let baseline = options.baselineSeconds { try monitor.measureIdle(seconds: baseline) }
            try monitor.start()
            self.monitor = monitor
            startCPUSeconds = Clocks.processCPUSeconds()
        } catch {
            // Meters chosen explicitly that cannot measure are an error before any work; with
            // the whole chain allowed, the estimate can only fail without /proc: note it and go on.
            if meters.allowedMeters == [.nvml], let job = options.job, !job.readsHostMeters {
                self.monitor = nil
                monitorFailure = "This rank's GPUs (CUDA_VISIBLE_DEVICES=\(job.visibleDevices ?? "")) could not be read: \(error)"
                startLiveTimer()
                return
            }
            if options.meters.allowedMeters != nil {
                _ = try? database.finishRun(id: insertedID, status: .failed, endedAt: Date(), errorText: "\(error)")
                throw error
            }
            self.monitor = nil
            monitorFailure = "Energy was not measured: \(error)"
        }
        startLiveTimer()
    }

    /// Epochs the run plans. The tracker sets it after the session has started its sampler
    /// and live threads, which read the session under its lock: so is this.
    var plannedEpochs: Int? {
        get { lock.withLock { plannedEpochCount } }
        set { lock.withLock { plannedEpochCount = newValue } }
    }

    /// The latest prediction of the whole run (after two epochs), read under the lock: a
    /// ``TrackedRun`` may be read from any thread while epochs are recorded on another.
    var latestPrediction: RunPrediction? { lock.withLock { prediction } }

    /// Commits one epoch with the energy and time since the previous one, both read at the same
    /// instant (epoch 1 starts when the monitor started).
    @discardableResult
    func recordEpoch(_ metrics: EpochMetrics) throws -> EpochRecord {
        try lock.withLock { try recordEpochLocked(metrics) }
    }

    private func recordEpochLocked(_ metrics: EpochMetrics) throws -> EpochRecord {
        let reading = monitor?.reading()
        let now = reading?.seconds ?? (Clocks.monotonicSeconds() - startSeconds)
        let joules = reading?.joules
        var epoch = EpochRecord(runID: id, facts: metrics)
        if let flops = metrics.flops { flopsSoFar += Int64(flops.total) }
        epoch.wallSeconds = now - lastEpochSeconds
        epoch.elapsedSeconds = now
        if let joules {
            epoch.energyJoules = joules - lastJoules
            lastJoules = joules
        }
        lastEpochSeconds = now
        try database.appendEpoch(epoch)
        epochsRecorded += 1
        try flushSamplesLocked()
        // The times feed only the prediction: a run without planned epochs (a wrapped program)
        // keeps none, so its memory does not grow with its epochs.
        guard plannedEpochCount != nil else { return epoch }
        epochSeconds.append(epoch.wallSeconds ?? 0)
        if let seconds = metrics.phaseSeconds {
            epochTrainingSeconds?.append(seconds.total)
        } else {
            epochTrainingSeconds = nil
        }
        if let energy = epoch.energyJoules { epochJoules.append(energy) }
        try updatePrediction(elapsedSeconds: now)
        return epoch
    }

    private func updatePrediction(elapsedSeconds: Double) throws {
        guard let planned = plannedEpochCount else { return }
        let atFreeze = !predictionStored && epochSeconds.count >= RunPrediction.freezeEpoch(plannedEpochs: planned)
        guard atFreeze || elapsedSeconds - lastPredictionSeconds >= 0.2 else { return }
        guard
            var prediction = RunPrediction.make(
                epochSeconds: epochSeconds, epochJoules: epochJoules.count == epochSeconds.count ? epochJoules : nil,
                plannedEpochs: planned, elapsedSeconds: elapsedSeconds, epochTrainingSeconds: epochTrainingSeconds)
        else { return }
        lastPredictionSeconds = elapsedSeconds
        if let calculator, epochJoules.count == epochSeconds.count {
            // The provenance is only known when the monitor stops; the wider, estimated band
            // keeps the predicted interval honest meanwhile.
            let basis = EnergyProvenance.estimated
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
        // line keeps getting fresher ones. It is written once: a write per early epoch would
        // slow exactly the epochs the prediction is fitted on.
        guard !predictionStored, prediction.afterEpoch >= RunPrediction.freezeEpoch(plannedEpochs: planned) else { return }
        try storePrediction()
    }

    private func storePrediction() throws {
        guard let prediction, !predictionStored else { return }
        record.predictionJSON = JSONText.encode(prediction)
        try database.updateRun(record)
        predictionStored = true
    }

    /// Writes the power samples gathered since the last flush.
    private func flushSamplesLocked() throws {
        guard let monitor else { return }
        let samples = monitor.drainSamples()
        guard !samples.isEmpty else { return }
        for sample in samples {
            latestZoneWatts[sample.meter + "/" + sample.zone] = LiveRunSnapshot.ZoneReading(
                meter: sample.meter, zone: sample.zone, watts: sample.watts)
        }
        try database.insertPowerSamples(
            samples.map {
                PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: $0.meter, zone: $0.zone, watts: $0.watts)
            })
    }

    /// Marks the start of a named phase with the time and energy so far; stored with the run
    /// (the first ``EventLimits/keptPhaseMarks``; later ones are counted in one note).
    func markPhase(_ name: String) {
        lock.withLock {
            phaseMarks += 1
            guard phaseMarks <= EventLimits.keptPhaseMarks else { return }
            let reading = monitor?.reading()
            let energy = reading.map { String(format: ", %.3f J into the run", $0.joules) } ?? ""
            let seconds = reading?.seconds ?? (Clocks.monotonicSeconds() - startSeconds)
            notes.append(String(format: "phase '%@' began at %.3f s", name, seconds) + energy)
        }
    }

    /// Adds notes stored with the run when it finishes.
    func addNotes(_ more: [String]) {
        lock.withLock { notes += more }
    }

    /// Lets the caller fill result columns (FLOPs, model, metrics) before the run is finished.
    func update(_ change: (inout RunRecord) -> Void) throws {
        try lock.withLock {
            change(&record)
            try database.updateRun(record)
        }
    }

    /// Every `seconds`, writes the samples gathered so far and the energy and CO2e so far, so
    /// a footprint killed with SIGKILL loses at most that window and a week-long run keeps
    /// bounded memory. Stopped by `finish`.
    func flushPeriodically(everySeconds seconds: Double) {
        let timer = PeriodicFlush(intervalSeconds: seconds) { [weak self] in self?.flushProgress() }
        lock.withLock { flushTimer = timer }
        timer.start()
    }

    /// Samples, energy and CO2e so far; failures are left for `finish` to report.
    private func flushProgress() {
        lock.withLock {
            guard let monitor, record.status == .running else { return }
            try? flushSamplesLocked()
            let reading = monitor.reading()
            record.energyJoules = reading.joules
            record.energyProvenance = monitor.provenanceSoFar()
            record.wallSeconds = reading.seconds
            var ignored: [String] = []
            applyCarbon(joules: reading.joules, basis: monitor.provenanceSoFar(), seconds: reading.seconds, notes: &ignored)
            try? database.updateRun(record)
        }
    }

    /// Stops measuring, stores energy and carbon, and sets the final status.
    ///
    /// - Parameters:
    ///   - status: `completed`, `failed` or `interrupted`.
    ///   - errorText: Why it failed or stopped.
    ///   - exitStatus: For wrapped commands.
    ///   - processCPUSeconds: CPU seconds of the measured process tree (default: this process).
    @discardableResult
    func finish(status: RunStatus, errorText: String? = nil, exitStatus: Int32? = nil, processCPUSeconds: Double? = nil) throws -> RunRecord
    {
        let timers = lock.withLock { () -> [PeriodicFlush] in
            defer { (flushTimer, liveTimer) = (nil, nil) }
            return [flushTimer, liveTimer].compactMap { $0 }
        }
        for timer in timers { timer.stop() }
        let finished = try lock.withLock {
            try finishLocked(status: status, errorText: errorText, exitStatus: exitStatus, processCPUSeconds: processCPUSeconds)
        }
        if let observer = options.liveObserver { observer(lock.withLock { liveSnapshotLocked(finished: true) }) }
        return finished
    }

    /// Starts the thread that writes the heartbeat every ``RunLease/heartbeatSeconds`` and
    /// calls the live observer every ``TrackerOptions/liveIntervalSeconds``.
    private func startLiveTimer() {
        let observer = options.liveObserver
        let interval =
            observer == nil
            ? RunLease.heartbeatSeconds
            : min(RunLease.heartbeatSeconds, options.liveIntervalSeconds ?? options.meters.samplingIntervalSeconds)
        let timer = PeriodicFlush(intervalSeconds: interval, name: "footprint-live") { [weak self] in self?.liveTick() }
        liveTimer = timer
        timer.start()
    }

    private func liveTick() {
        let snapshot = lock.withLock { () -> LiveRunSnapshot? in
            guard record.status == .running else { return nil }
            let now = Clocks.monotonicSeconds()
            if now - lastHeartbeatSeconds >= RunLease.heartbeatSeconds * 0.999 {
                lastHeartbeatSeconds = now
                // A failed heartbeat is not a failed run: the next write reports a lost store.
                try? database.recordHeartbeat(runID: id, at: Date())
            }
            guard options.liveObserver != nil else { return nil }
            return liveSnapshotLocked(finished: false)
        }
        if let snapshot { options.liveObserver?(snapshot) }
    }

    private func liveSnapshotLocked(finished: Bool) -> LiveRunSnapshot {
        let reading = finished ? nil : monitor?.reading()
        let seconds = finished ? (record.wallSeconds ?? 0) : (reading?.seconds ?? Clocks.monotonicSeconds() - startSeconds)
        let joules = finished ? record.energyJoules : reading?.joules
        let provenance = finished ? record.energyProvenance : monitor?.provenanceSoFar()
        var grams: Double? = finished ? record.gramsCO2e : nil
        if !finished, let joules, let provenance, let calculator {
            grams = (try? calculator.estimate(joules: joules, basis: provenance, runSeconds: seconds))?.gramsCO2e
        }
        // Samples not yet flushed (a `train` run flushes only at the end) keep the watts fresh.
        for sample in finished ? [] : monitor?.latestSamples() ?? [] {
            latestZoneWatts[sample.meter + "/" + sample.zone] = LiveRunSnapshot.ZoneReading(
                meter: sample.meter, zone: sample.zone, watts: sample.watts)
        }
        let zoneJoules = (monitor?.zoneJoules() ?? []).map {
            LiveRunSnapshot.ZoneEnergy(meter: $0.name, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal)
        }
        return LiveRunSnapshot(
            runID: id, uuid: record.uuid, name: record.name, modelName: record.modelName, dataset: record.dataset,
            job: options.job, host: record.host, elapsedSeconds: seconds, joules: joules, provenance: provenance,
            gramsCO2e: grams, flops: record.flopsTotal ?? flopsSoFar, epochsFinished: epochsRecorded,
            zoneWatts: latestZoneWatts.keys.sorted().compactMap { latestZoneWatts[$0] }, zoneJoules: zoneJoules,
            finished: finished)
    }

    private func finishLocked(status: RunStatus, errorText: String?, exitStatus: Int32?, processCPUSeconds: Double?) throws -> RunRecord {
        // A run that ended before the freeze epoch keeps its latest prediction (written below).
        if !predictionStored, let prediction { record.predictionJSON = JSONText.encode(prediction) }
        let cpu = processCPUSeconds ?? (Clocks.processCPUSeconds() - startCPUSeconds)
        var notes: [String] = (monitorFailure.map { [$0] } ?? []) + self.notes
        if phaseMarks > EventLimits.keptPhaseMarks {
            notes.append(
                "… and \(EventIntake.grouped(phaseMarks - EventLimits.keptPhaseMarks)) more phase marks (\(EventIntake.grouped(phaseMarks)) in all)"
            )
        }
        var wall = Clocks.monotonicSeconds() - startSeconds
        var samples: [PowerSampleRecord] = []
        var meterEnergy: [MeterEnergyRecord] = []
        if let monitor {
            let measurement = monitor.stop(processCPUSeconds: cpu)
            wall = measurement.seconds
            samples = monitor.drainSamples().map {
                PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: $0.meter, zone: $0.zone, watts: $0.watts)
            }
            meterEnergy = measurement.meters.map {
                MeterEnergyRecord(
                    runID: id, meter: $0.name, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal,
                    bridgedSeconds: $0.bridgedSeconds, bridgedJoules: $0.bridgedJoules)
            }
            notes += measurement.notes
            record.energyJoules = measurement.joules
            record.attributedJoules = measurement.attributedJoules
            record.energyProvenance = measurement.provenance
            record.idleWatts = measurement.idleWatts
            record.netJoules = measurement.netJoules
            record.estimateModel = measurement.estimateModel
            record.energyResolutionJoules = measurement.resolution.stepJoules
            record.energyResolutionSeconds = measurement.resolution.periodSeconds
            record.energyResolutionSource = measurement.resolution.source
            record.bridgedJoules = measurement.bridgedJoules
            record.energyMinimumJoules = measurement.minimumJoules
            record.energyMaximumJoules = measurement.maximumJoules
            // Stored, not recomputed from the resolution: a run more than 5 % bridged is unresolved.
            record.energyResolved = measurement.resolved
            applyCarbon(joules: measurement.joules, basis: measurement.provenance, seconds: wall, notes: &notes)
            if let minimum = measurement.minimumJoules, let maximum = measurement.maximumJoules {
                widenCarbon(minimumJoules: minimum, maximumJoules: maximum, basis: measurement.provenance, seconds: wall)
            }
        }
        record.energyNotesJSON = notes.isEmpty ? nil : JSONText.encode(notes)
        record.wallSeconds = wall
        record.cpuSeconds = cpu
        record.errorText = errorText ?? record.errorText
        record.exitStatus = exitStatus ?? record.exitStatus
        // One transaction: the last samples, the energy per zone, every figure and the status.
        defer { spaceReserve?.release() }
        do {
            record = try database.completeRun(record, status: status, endedAt: Date(), samples: samples, meterEnergy: meterEnergy)
        } catch {
            // A full disk: the reserve and a truncated write-ahead log give the end room, and
            // the run's own row needs far fewer pages than its last samples: the status and
            // figures come first.
            spaceReserve?.release()
            try? (database as? RunDatabase)?.truncateWriteAheadLog()
            do {
                record = try database.completeRun(record, status: status, endedAt: Date(), samples: samples, meterEnergy: meterEnergy)
            } catch {
                var lean = record
                lean.energyNotesJSON = JSONText.encode(
                    notes + ["The last \(samples.count) power samples and the energy per meter zone were not stored: \(error)"])
                record = try database.completeRun(lean, status: status, endedAt: Date(), samples: [], meterEnergy: [])
            }
        }
        return record
    }

    /// Widens the CO2e range to the ranges at both ends of the energy interval a bridged run's
    /// true energy lies in, as its energy band widens to that interval.
    private func widenCarbon(minimumJoules: Double, maximumJoules: Double, basis: EnergyProvenance, seconds: Double) {
        let calculator = calculator ?? (try? CarbonCalculator(settings: options.carbon))
        guard let low = record.gramsCO2eLow, let high = record.gramsCO2eHigh, let calculator,
            let atMinimum = try? calculator.estimate(joules: minimumJoules, basis: basis, runSeconds: seconds),
            let atMaximum = try? calculator.estimate(joules: maximumJoules, basis: basis, runSeconds: seconds)
        else { return }
        record.gramsCO2eLow = min(low, atMinimum.lowGramsCO2e)
        record.gramsCO2eHigh = max(high, atMaximum.highGramsCO2e)
    }

    private func applyCarbon(joules: Double, basis: EnergyProvenance, seconds: Double, notes: inout [String]) {
        do {
            let estimate = try (calculator ?? CarbonCalculator(settings: options.carbon)).estimate(
                joules: joules, basis: basis, runSeconds: seconds)
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
