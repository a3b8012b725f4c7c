import Carbon
import Energy
import Foundation
import RunModel
import RunStore
import Vocabulary

/// One run's life in the store, from the row inserted `running` to its final status.
///
/// A coordinator of four jobs, each a small type of its own: ``RunRecorder`` (the row, the
/// epochs, the final status and the space reserve), ``RunMetering`` (the energy monitor, its
/// readings and samples, the carbon of a reading), ``RunPredictor`` (the prediction and the one
/// frozen for the store) and ``RunLiveness`` (the heartbeat and the live snapshots).
///
/// The run's thread drives a session; a wrapped program's event thread, the periodic flush of
/// `wrap` and the live timer touch it too. The mutable parts live in one ``Locked`` box, so no
/// thread can reach them without its lock (the energy monitor samples on its own thread behind
/// its own). The box is an `NSLock`, not a `Synchronization.Mutex`: the thread sanitizer, which
/// the tracker suites run under, sees a pthread mutex as synchronization but not Mutex's futex
/// on Linux, and reports the accesses a Mutex guards as races (Swift 6.3.1: a two-thread
/// counter inside `withLock` is reported about one run in three).
final class RunSession: Sendable {
    let database: any RunStorage
    let options: TrackerOptions
    let id: Int64
    private let metering: RunMetering
    private let parts: Locked<Parts>
    /// The periodic flush and the live timer, stopped by ``finish(status:errorText:exitStatus:processCPUSeconds:)``.
    private let timers = Locked<[PeriodicFlush]>([])

    /// The session's mutable state: each job's part, always changed together under one lock.
    private struct Parts: Sendable {
        var recorder: RunRecorder
        var predictor: RunPredictor
        var liveness: RunLiveness
    }

    /// Inserts the run and starts measuring.
    ///
    /// - Parameters:
    ///   - processCPUSeconds: CPU seconds of the measured process tree so far; nil means this
    ///     process (CLOCK_PROCESS_CPUTIME_ID). The estimate and the watchdog read it.
    ///   - calculator: The tracker's carbon calculator, its settings resolved once for every
    ///     run; nil builds one from `options.carbon`.
    /// - Throws: `RunStoreError` when the run cannot be recorded (nothing has run yet);
    ///   `EnergyError` when the meters chosen with `--meter` cannot measure here (the run is
    ///   then stored failed, with the reason, before any work).
    init(
        database: any RunStorage, options: TrackerOptions, record: RunRecord, measureEnergy: Bool = true,
        processCPUSeconds: (@Sendable () -> Double?)? = nil, calculator: CarbonCalculator? = nil
    ) throws {
        let startSeconds = Clocks.monotonicSeconds()
        let startCPUSeconds = Clocks.processCPUSeconds()
        var options = options
        options.meters.processCPUSeconds = processCPUSeconds ?? { Clocks.processCPUSeconds() }
        var recorder = try RunRecorder(inserting: record, into: database, options: options)
        let metering: RunMetering
        do {
            metering = try RunMetering(
                options: options, measureEnergy: measureEnergy, startSeconds: startSeconds, startCPUSeconds: startCPUSeconds,
                calculator: calculator)
        } catch {
            _ = try? database.finishRun(id: recorder.id, status: .failed, endedAt: Date(), errorText: "\(error)")
            throw error
        }
        if let note = metering.deferralNote { recorder.addNotes([note]) }
        self.database = database
        self.options = options
        self.id = recorder.id
        self.metering = metering
        parts = Locked(
            Parts(
                recorder: recorder, predictor: RunPredictor(calculator: metering.calculator),
                liveness: RunLiveness(startSeconds: startSeconds)))
        startTimer(everySeconds: RunLiveness.tickSeconds(options: options), name: "footprint-live") { $0.liveTick() }
    }

    /// The run's row as last written.
    var record: RunRecord { parts.withLock { $0.recorder.record } }

    /// Epochs the run plans, which lets it predict its total. The tracker sets it after the
    /// session has started its sampler and live threads.
    var plannedEpochs: Int? {
        get { parts.withLock { $0.predictor.plannedEpochs } }
        set { parts.withLock { $0.predictor.plannedEpochs = newValue } }
    }

    /// The latest prediction of the whole run (after two epochs): a ``TrackedRun`` may be read
    /// from any thread while epochs are recorded on another.
    var latestPrediction: RunPrediction? { parts.withLock { $0.predictor.latest } }

    /// Commits one epoch with the energy and time since the previous one, both read at the same
    /// instant (epoch 1 starts when the monitor started), writes the samples gathered since the
    /// last, and refreshes the prediction (storing it once, at the freeze epoch).
    @discardableResult
    func recordEpoch(_ metrics: EpochMetrics) throws -> EpochRecord {
        try parts.withLock { parts in
            let reading = metering.reading()
            let epoch = try parts.recorder.appendEpoch(metrics, seconds: reading.seconds, joules: reading.joules)
            try flushSamples(into: &parts)
            let frozen = parts.predictor.observeEpoch(
                wallSeconds: epoch.wallSeconds ?? 0,
                trainingSeconds: metrics.phaseSeconds?.total,
                joules: epoch.energyJoules, elapsedSeconds: reading.seconds)
            if let frozen {
                try parts.recorder.storePrediction(frozen)
                parts.predictor.markFrozen()
            }
            return epoch
        }
    }

    /// Marks the end of a wrapped program's startup (its `train_begin`): the seconds and joules
    /// so far, read at one instant, become the run's startup, and the first epoch starts there,
    /// so no epoch is charged the startup.
    func beginTraining() {
        parts.withLock { parts in
            let reading = metering.reading()
            parts.recorder.beginTraining(seconds: reading.seconds, joules: reading.joules)
        }
    }

    /// Marks the start of a named phase with the time and energy so far; stored with the run
    /// (the first ``EventLimits/keptPhaseMarks``; later ones are counted in one note).
    func markPhase(_ name: String) {
        parts.withLock { parts in
            let reading = metering.reading()
            parts.recorder.markPhase(name, seconds: reading.seconds, joules: reading.joules)
        }
    }

    /// Adds notes stored with the run when it finishes.
    func addNotes(_ more: [String]) {
        parts.withLock { $0.recorder.addNotes(more) }
    }

    /// Lets the caller fill result columns (FLOPs, model, metrics) before the run is finished.
    func update(_ change: (inout RunRecord) -> Void) throws {
        try parts.withLock { try $0.recorder.update(change) }
    }

    /// Every `seconds`, writes the samples gathered so far and the energy and CO2e so far, so
    /// a footprint killed with SIGKILL loses at most that window and a week-long run keeps
    /// bounded memory. Stopped by `finish`.
    func flushPeriodically(everySeconds seconds: Double) {
        startTimer(everySeconds: seconds, name: "footprint-flush") { $0.flushProgress() }
    }

    /// Stops measuring, stores energy and carbon, and sets the final status.
    ///
    /// - Parameters:
    ///   - status: `completed`, `failed` or `interrupted`.
    ///   - errorText: Why it failed or stopped.
    ///   - exitStatus: For wrapped commands.
    ///   - processCPUSeconds: CPU seconds of the measured process tree (default: this process).
    /// - Returns: The stored row.
    /// - Throws: `RunStoreError` when not even the row can be written.
    @discardableResult
    func finish(status: RunStatus, errorText: String? = nil, exitStatus: Int32? = nil, processCPUSeconds: Double? = nil) throws -> RunRecord
    {
        let running = timers.withLock { timers in
            defer { timers = [] }
            return timers
        }
        for timer in running { timer.stop() }
        let finished = try parts.withLock { parts in
            // A run that ended before the freeze epoch keeps its latest prediction.
            if let prediction = parts.predictor.unfrozen { parts.recorder.record.predictionJSON = JSONText.encode(prediction) }
            let cpu = processCPUSeconds ?? (Clocks.processCPUSeconds() - metering.startCPUSeconds)
            var notes = (metering.failure.map { [$0] } ?? []) + parts.recorder.closingNotes
            var end = RunEnd(
                wallSeconds: Clocks.monotonicSeconds() - metering.startSeconds, cpuSeconds: cpu, errorText: errorText,
                exitStatus: exitStatus)
            var samples: [PowerSample] = []
            var meterEnergy: [MeterEnergy] = []
            if let measurement = metering.stop(cpuSeconds: cpu) {
                end.wallSeconds = measurement.seconds
                samples = metering.drainSamples()
                meterEnergy = measurement.meters
                notes += measurement.notes
                parts.recorder.apply(measurement)
                storeCarbon(of: measurement, seconds: end.wallSeconds, in: &parts.recorder, notes: &notes)
            }
            return try parts.recorder.complete(status: status, end: end, samples: samples, meterEnergy: meterEnergy, notes: notes)
        }
        if let observer = options.liveObserver {
            observer(parts.withLock { $0.liveness.snapshot(of: $0.recorder, metering: metering, job: options.job, finished: true) })
        }
        return finished
    }

    /// The CO2e of the measured energy, its range widened to a bridged run's energy interval.
    private func storeCarbon(of measurement: EnergyMeasurement, seconds: Double, in recorder: inout RunRecorder, notes: inout [String]) {
        do {
            recorder.apply(try metering.carbon(joules: measurement.joules, basis: measurement.provenance, seconds: seconds))
        } catch {
            notes.append("CO2e was not computed: \(error)")
        }
        if let minimum = measurement.minimumJoules, let maximum = measurement.maximumJoules,
            let atMinimum = try? metering.carbon(joules: minimum, basis: measurement.provenance, seconds: seconds),
            let atMaximum = try? metering.carbon(joules: maximum, basis: measurement.provenance, seconds: seconds)
        {
            recorder.widenCarbon(atMinimum: atMinimum, atMaximum: atMaximum)
        }
    }

    /// Writes the power samples gathered since the last flush; the live snapshot keeps their watts.
    private func flushSamples(into parts: inout Parts) throws {
        let samples = metering.drainSamples()
        guard !samples.isEmpty else { return }
        parts.liveness.observe(samples)
        try parts.recorder.insertSamples(samples)
    }

    /// Samples, energy and CO2e so far; failures are left for `finish` to report.
    private func flushProgress() {
        parts.withLock { parts in
            guard metering.monitor != nil, parts.recorder.isRunning else { return }
            try? flushSamples(into: &parts)
            let reading = metering.reading()
            guard let joules = reading.joules, let provenance = metering.provenanceSoFar() else { return }
            let carbon = try? metering.carbon(joules: joules, basis: provenance, seconds: reading.seconds)
            try? parts.recorder.storeProgress(seconds: reading.seconds, joules: joules, provenance: provenance, carbon: carbon)
        }
    }

    /// Writes the heartbeat every ``RunLease/heartbeatSeconds`` and hands the live observer a
    /// snapshot.
    private func liveTick() {
        let snapshot = parts.withLock { parts -> LiveRunSnapshot? in
            guard parts.recorder.isRunning else { return nil }
            if parts.liveness.heartbeatIsDue(now: Clocks.monotonicSeconds()) { parts.recorder.writeHeartbeat() }
            guard options.liveObserver != nil else { return nil }
            return parts.liveness.snapshot(of: parts.recorder, metering: metering, job: options.job, finished: false)
        }
        if let snapshot { options.liveObserver?(snapshot) }
    }

    /// Starts a timer that calls `action` on this session until `finish` stops it.
    private func startTimer(everySeconds seconds: Double, name: String, _ action: @escaping @Sendable (RunSession) -> Void) {
        let timer = PeriodicFlush(intervalSeconds: seconds, name: name) { [weak self] in
            if let self { action(self) }
        }
        timers.withLock { $0.append(timer) }
        timer.start()
    }
}
