import Carbon
import Energy
import Foundation
import RunStore
import Vocabulary

/// A run's energy meters: the monitor chosen for this process (or none), the readings taken
/// from it, its power samples, and the carbon of a reading.
///
/// Immutable once started: the monitor samples on its own thread behind its own lock, so a
/// ``RunSession`` may read it from any thread.
struct RunMetering: Sendable {
    /// Nil when this run measures no energy (a rank that defers to local rank 0, or no meter
    /// could start).
    let monitor: EnergyMonitor?
    /// Why energy was not measured, when a meter failed to start; the first of the run's notes.
    let failure: String?
    /// Why this rank reads no host meter, when it is a rank other than local rank 0.
    let deferralNote: String?
    /// Monotonic seconds when the session began: the clock of a run without a monitor.
    let startSeconds: Double
    /// This process's CPU seconds when measuring began (after the meters' probe).
    let startCPUSeconds: Double
    /// Built once per run (nil when the settings cannot resolve, which the tracker has already
    /// checked); ``carbon(joules:basis:seconds:)`` then reports why.
    let calculator: CarbonCalculator?
    private let carbonSettings: CarbonSettings

    /// Chooses and starts the meters for a run.
    ///
    /// - Parameters:
    ///   - options: The tracker's options; the job decides which meters this rank reads.
    ///   - measureEnergy: False to measure no energy at all.
    ///   - startSeconds: Monotonic seconds when the session began.
    ///   - startCPUSeconds: This process's CPU seconds then; replaced by the figure after the
    ///     probe when a monitor starts.
    ///   - calculator: The tracker's calculator (its settings already resolved); nil builds one.
    /// - Throws: `EnergyError` when meters chosen with `--meter` cannot measure here.
    init(
        options: TrackerOptions, measureEnergy: Bool, startSeconds: Double, startCPUSeconds: Double, calculator: CarbonCalculator? = nil
    ) throws {
        self.startSeconds = startSeconds
        carbonSettings = options.carbon
        self.calculator = calculator ?? (try? CarbonCalculator(settings: options.carbon))
        var meters = options.meters
        var measureEnergy = measureEnergy
        var deferralNote: String?
        if let job = options.job, !job.readsHostMeters {
            // The node's host meters belong to local rank 0; this rank measures only the GPUs
            // CUDA_VISIBLE_DEVICES makes its own, and never estimates the whole machine again.
            deferralNote = job.deferralNote
            if job.hasOwnDevices, [MeterKind.agent, .nvml, .amdsmi, .hwmon].contains(where: meters.permits) {
                meters.devicesOnly = true
            } else {
                measureEnergy = false
            }
        }
        self.deferralNote = deferralNote
        var startCPUSeconds = startCPUSeconds
        var monitor: EnergyMonitor?
        var failure: String?
        if measureEnergy {
            let candidate = EnergyMonitor(options: meters)
            do {
                if let baseline = options.baselineSeconds { try candidate.measureIdle(seconds: baseline) }
                try candidate.start()
                monitor = candidate
                startCPUSeconds = Clocks.processCPUSeconds()
            } catch {
                // Meters chosen explicitly that cannot measure are an error before any work; with
                // the whole chain allowed, the estimate can only fail without /proc: note it and go on.
                if meters.devicesOnly, let job = options.job {
                    failure = "This rank's GPUs (CUDA_VISIBLE_DEVICES=\(job.visibleDevices ?? "")) could not be read: \(error)"
                } else if options.meters.allowedMeters != nil {
                    throw error
                } else {
                    failure = "Energy was not measured: \(error)"
                }
            }
        }
        self.monitor = monitor
        self.failure = failure
        self.startCPUSeconds = startCPUSeconds
    }

    /// Seconds since the start (the monitor's, when there is one) and the joules counted in the
    /// total by then (nil without a monitor), read at one instant.
    func reading() -> (seconds: Double, joules: Double?) {
        guard let monitor else { return (Clocks.monotonicSeconds() - startSeconds, nil) }
        let reading = monitor.reading()
        return (reading.seconds, reading.joules)
    }

    /// Whether the energy so far is measured, estimated or mixed; nil without a monitor.
    func provenanceSoFar() -> EnergyProvenance? { monitor?.provenanceSoFar() }

    /// The power samples taken since the previous call, oldest first.
    func drainSamples() -> [PowerSample] { monitor?.drainSamples() ?? [] }

    /// The latest sample of each zone, without draining them.
    func latestSamples() -> [PowerSample] { monitor?.latestSamples() ?? [] }

    /// Each zone's energy so far.
    func zoneJoules() -> [MeterEnergy] { monitor?.zoneJoules() ?? [] }

    /// Stops the monitor and returns the run's measurement; nil without a monitor.
    ///
    /// - Parameter cpuSeconds: CPU seconds of the measured process tree.
    func stop(cpuSeconds: Double) -> EnergyMeasurement? {
        monitor?.stop(processCPUSeconds: cpuSeconds)
    }

    /// The CO2e of `joules` spent over `seconds`.
    ///
    /// - Throws: `CarbonError` when the carbon settings cannot resolve.
    func carbon(joules: Double, basis: EnergyProvenance, seconds: Double) throws -> CarbonEstimate {
        try (calculator ?? CarbonCalculator(settings: carbonSettings)).estimate(joules: joules, basis: basis, runSeconds: seconds)
    }
}

extension MeterZone {
    /// The zone a power sample was taken in.
    init(_ sample: PowerSample) {
        self.init(meter: sample.meter, zone: sample.zone)
    }
}
