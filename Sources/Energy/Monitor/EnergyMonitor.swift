import Dispatch
import Foundation
import Vocabulary

/// Measures the energy of a run: opens the best meters, samples them on a background thread,
/// and returns whole-machine and attributed energy with its provenance.
///
/// ```swift
/// let monitor = EnergyMonitor(options: .fromEnvironment(ProcessInfo.processInfo.environment))
/// try monitor.start()
/// train()
/// let energy = monitor.stop(processCPUSeconds: cpuSecondsOfThisProcessTree())
/// ```
public final class EnergyMonitor: Sendable {
    let options: MeterOptions
    let state = Locked(MonitorState())
    /// Signalled by `stop()` so the sampler wakes at once instead of sleeping out its interval.
    let wake = DispatchSemaphore(value: 0)
    /// Signalled by the sampler thread when it has left its loop.
    let finished = DispatchSemaphore(value: 0)
    /// Seconds between samples as requested (1 s when the request is not a positive number);
    /// the sampler polls more often when a counter could otherwise wrap twice unseen.
    public let intervalSeconds: Double
    /// CPU time and samples of the sampler thread so far (read by `footprint bench tracking`).
    package let samplerCost = ThreadCost()

    /// Creates a monitor; nothing is opened until `measureIdle(seconds:)` or `start()`.
    ///
    /// - Parameter options: roots, overrides and the sampling interval.
    public init(options: MeterOptions = MeterOptions()) {
        self.options = options
        let requested = options.samplingIntervalSeconds
        // A nonsensical interval (zero, negative, NaN, infinite) falls back to the 1 s default.
        self.intervalSeconds = requested.isFinite && requested > 0 ? max(requested, 0.001) : 1
    }

    /// Opens the meters once (probing their counters); later calls do nothing.
    func openMetersIfNeeded(_ state: inout MonitorState) {
        guard !state.opened else { return }
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        state.meters = selection.meters
        state.notes = selection.notes
        state.candidates = selection.candidates
        state.probeSeconds = selection.probeSeconds
        state.cpuMeterIndex = selection.cpuMeterIndex
        state.estimateIndex = selection.estimateIndex
        let files = options.files
        state.cpuSecondsSource =
            options.processCPUSeconds.map { source in { source() } } ?? {
                (try? ProcStatTimes.read(files: files)).map { Double($0.busyTicks) / ProcStatTimes.ticksPerSecond }
            }
        state.opened = true
    }

    /// The meters chosen for this monitor and why the others were not, opening (and probing)
    /// them if that has not happened yet.
    public func candidates() -> (candidates: [MeterCandidate], probeSeconds: Double?) {
        state.withLock { state in
            openMetersIfNeeded(&state)
            return (state.candidates, state.probeSeconds)
        }
    }

    /// The sampling interval actually used, given the meters' wrap bounds.
    private func effectiveInterval(_ state: MonitorState) -> Double {
        let bounds = state.meters.compactMap(\.maximumPollIntervalSeconds)
        return max(min(intervalSeconds, bounds.min() ?? intervalSeconds), 0.001)
    }

    /// Measures whole-machine idle power before the run, for net energy.
    ///
    /// Call before `start()`; it blocks for `seconds`.
    /// - Parameter seconds: how long to measure.
    /// - Returns: the average power, in watts, of the zones counted in the total.
    /// - Throws: `EnergyError.monitorAlreadyStarted` after `start()`, `.invalidOption` for a
    ///   non-positive duration.
    @discardableResult
    public func measureIdle(seconds: Double) throws(EnergyError) -> Double {
        guard seconds > 0, seconds.isFinite else {
            throw EnergyError.invalidOption(name: "baseline", value: "\(seconds)", allowed: "a positive number of seconds")
        }
        let begin = try state.withLock { (state: inout MonitorState) throws(EnergyError) -> (Double, Double) in
            guard state.phase == .idle else { throw EnergyError.monitorAlreadyStarted }
            openMetersIfNeeded(&state)
            let now = options.clock()
            state.pollMeters(atSeconds: now)
            return (now, state.meters.reduce(0) { $0 + $1.includedJoules })
        }
        // Polls in steps no longer than the wrap bound so an idle counter cannot wrap unseen.
        let step = state.withLock { effectiveInterval($0) }
        // Every reading comes from `options.clock`, as `begin` did, so a fake clock drives the
        // whole measurement.
        let clock = options.clock
        let deadline = begin.0 + seconds
        while clock() < deadline {
            _ = wake.wait(timeout: .now() + min(step, max(deadline - clock(), 0)))
            state.withLock { $0.pollMeters(atSeconds: clock()) }
        }
        return state.withLock { state in
            let end = clock()
            state.pollMeters(atSeconds: end)
            let joules = state.meters.reduce(0) { $0 + $1.includedJoules } - begin.1
            let watts = max(joules, 0) / max(end - begin.0, 1e-9)
            state.idleWatts = watts
            return watts
        }
    }

    /// Opens the meters (if `measureIdle` has not) and starts sampling on a background thread.
    ///
    /// Call `stop(processCPUSeconds:)` to get the measurement; a monitor released without it
    /// stops its thread and closes its meters.
    /// - Throws: `EnergyError.monitorAlreadyStarted` on a second call; `.noMeterAvailable` if
    ///   nothing, not even the estimate, could be opened.
    public func start() throws(EnergyError) {
        try state.withLock { (state: inout MonitorState) throws(EnergyError) in
            guard state.phase == .idle else { throw EnergyError.monitorAlreadyStarted }
            openMetersIfNeeded(&state)
            guard !state.meters.isEmpty else {
                if let chosen = options.allowedMeters {
                    throw EnergyError.noChosenMeterAvailable(chosen: chosen.sorted().map(\.rawValue), reasons: state.notes)
                }
                throw EnergyError.noMeterAvailable(reasons: state.notes)
            }
            let now = options.clock()
            state.pollMeters(atSeconds: now)
            state.startSeconds = now
            state.startStat = try? ProcStatTimes.read(files: options.files)
            state.startJoules = state.zoneJoules
            state.lastSampleSeconds = now
            state.lastSampleJoules = state.startJoules
            state.phase = .running
        }
        let interval = state.withLock { effectiveInterval($0) }
        // The thread holds the state and semaphores, not the monitor, so a monitor dropped
        // without `stop` is still deinitialised and its deinit ends the thread.
        let (state, wake, finished, clock, cost) = (state, wake, finished, options.clock, samplerCost)
        let thread = Thread {
            ThreadCPUClock.nameCurrentThread("footprint-energy-sampler")
            Self.sampleUntilStopped(state: state, wake: wake, finished: finished, maximumInterval: interval, clock: clock, cost: cost)
        }
        thread.name = "footprint-energy-sampler"
        thread.start()
    }

    deinit {
        if stateTransitionToStopping() {
            wake.signal()
            state.withLock { state in for meter in state.meters { meter.close() } }
        }
    }

    /// The shortest gap between samples: finer polling would cost more than it shows.
    static let minimumSampleIntervalSeconds = 0.01

    /// The sampling interval `elapsedSeconds` into a run: a fortieth of the time so far, between
    /// 10 ms and the requested interval, so a 0.2 s run gets about 20 samples and a long one
    /// settles at the requested rate.
    static func adaptiveInterval(elapsedSeconds: Double, maximum: Double) -> Double {
        min(max(elapsedSeconds / 40, minimumSampleIntervalSeconds), max(maximum, minimumSampleIntervalSeconds))
    }

    private static func sampleUntilStopped(
        state: Locked<MonitorState>, wake: DispatchSemaphore, finished: DispatchSemaphore, maximumInterval: Double,
        clock: @escaping @Sendable () -> Double, cost: ThreadCost
    ) {
        let start = state.withLock { $0.startSeconds }
        var next = clock() + adaptiveInterval(elapsedSeconds: 0, maximum: maximumInterval)
        while true {
            let wait = max(next - clock(), 0)
            _ = wake.wait(timeout: .now() + wait)
            let keepGoing = state.withLock { state -> Bool in
                guard state.phase == .running else { return false }
                let now = clock()
                state.pollMeters(atSeconds: now)
                state.recordSamples(atSeconds: now)
                return true
            }
            guard keepGoing else { break }
            cost.recordRound()
            let now = clock()
            next = max(next, now) + adaptiveInterval(elapsedSeconds: now - start, maximum: maximumInterval)
        }
        cost.recordExit()
        finished.signal()
    }

    /// Seconds since `start()` and the joules counted in the total by then, read at one instant,
    /// so an epoch's energy and its time cover exactly the same interval. Reads the counters now
    /// (a few small file reads), so per-epoch energy does not wait for the next sample.
    ///
    /// - Returns: (0, 0) before `start()`; the final figures after `stop`.
    public func reading() -> (seconds: Double, joules: Double) {
        state.withLock { state in
            switch state.phase {
            case .idle: return (0, 0)
            case .running, .stopping:
                let now = options.clock()
                state.pollMeters(atSeconds: now)
                return (now - state.startSeconds, state.includedJoulesSinceStart)
            case .stopped: return (state.finalMeasurement?.seconds ?? 0, state.finalMeasurement?.joules ?? 0)
            }
        }
    }

    /// The provenance the run has so far: `.mixed` once a counter was distrusted.
    public func provenanceSoFar() -> EnergyProvenance {
        state.withLock { state in
            if state.distrust != nil { return .mixed }
            return state.cpuMeterIndex == nil ? .estimated : .measured
        }
    }

    /// The power samples recorded since the previous call, oldest first.
    public func drainSamples() -> [PowerSample] {
        state.withLock { state in
            defer { state.samples.removeAll(keepingCapacity: true) }
            return state.samples
        }
    }
}
