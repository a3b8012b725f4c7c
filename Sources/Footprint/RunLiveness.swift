import Energy
import Foundation
import RunStore
import Vocabulary

/// What a running run shows the outside while it runs: the heartbeat that tells other
/// processes it is alive, and the live snapshots handed to ``TrackerOptions/liveObserver``,
/// both on one timer.
///
/// A value: ``RunSession`` keeps it inside its lock and drives the timer.
struct RunLiveness: Sendable {
    /// Monotonic seconds of the last heartbeat written.
    private var lastHeartbeatSeconds: Double
    /// The latest watts of each meter zone, from the samples seen so far.
    private var latestZoneWatts: [MeterZone: Double] = [:]

    /// - Parameter startSeconds: Monotonic seconds when the run's row was inserted with its
    ///   first heartbeat.
    init(startSeconds: Double) {
        lastHeartbeatSeconds = startSeconds
    }

    /// Seconds between two ticks: the heartbeat's period, or the observer's when it is shorter.
    static func tickSeconds(options: TrackerOptions) -> Double {
        guard options.liveObserver != nil else { return RunLease.heartbeatSeconds }
        return min(RunLease.heartbeatSeconds, options.liveIntervalSeconds ?? options.meters.samplingIntervalSeconds)
    }

    /// Whether a heartbeat is due at `now` (monotonic seconds); when it is, the next is counted
    /// from `now`.
    mutating func heartbeatIsDue(now: Double) -> Bool {
        guard now - lastHeartbeatSeconds >= RunLease.heartbeatSeconds * 0.999 else { return false }
        lastHeartbeatSeconds = now
        return true
    }

    /// Keeps the latest watts of each zone the samples cover.
    mutating func observe(_ samples: [PowerSample]) {
        for sample in samples { latestZoneWatts[MeterZone(sample)] = sample.watts }
    }

    /// What the run has done so far, or at its end.
    ///
    /// - Parameters:
    ///   - recorder: The run's row and the epochs recorded.
    ///   - metering: Its meters; read now while the run runs.
    ///   - job: The job the run is a rank of.
    ///   - finished: True for the last snapshot, made from the stored row.
    mutating func snapshot(of recorder: RunRecorder, metering: RunMetering, job: JobContext?, finished: Bool) -> LiveRunSnapshot {
        let record = recorder.record
        var seconds = record.wallSeconds ?? 0
        var joules = record.energyJoules
        var provenance = record.energyProvenance
        var grams = record.gramsCO2e
        if !finished {
            let reading = metering.reading()
            (seconds, joules, provenance, grams) = (reading.seconds, reading.joules, metering.provenanceSoFar(), nil)
            if let joules, let provenance {
                grams = (try? metering.carbon(joules: joules, basis: provenance, seconds: seconds))?.gramsCO2e
            }
            // Samples not yet flushed (a `train` run flushes only at the end) keep the watts fresh.
            observe(metering.latestSamples())
        }
        let zoneJoules = metering.zoneJoules().map {
            LiveRunSnapshot.ZoneEnergy(meter: $0.name, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal)
        }
        return LiveRunSnapshot(
            runID: recorder.id, uuid: record.uuid, name: record.name, modelName: record.modelName, dataset: record.dataset,
            job: job, host: record.host, elapsedSeconds: seconds, joules: joules, provenance: provenance, gramsCO2e: grams,
            flops: record.flopsTotal ?? recorder.flopsSoFar, epochsFinished: recorder.epochsRecorded,
            zoneWatts: latestZoneWatts.keys.sorted().compactMap { zone in
                latestZoneWatts[zone].map { LiveRunSnapshot.ZoneReading(zone, watts: $0) }
            },
            zoneJoules: zoneJoules, finished: finished)
    }
}
