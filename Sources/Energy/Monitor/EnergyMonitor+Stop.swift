import Foundation
import Vocabulary

extension EnergyMonitor {
    /// Stops sampling, closes the meters and returns the run's energy.
    ///
    /// Attribution: `attributedJoules = joules × share`, where share is `processCPUSeconds`
    /// divided by the busy CPU seconds of the whole machine over the run (from /proc/stat),
    /// clamped to [0, 1]. It charges the run for the fraction of machine CPU work it did; idle
    /// power and GPU energy are shared out the same way, which is fair on a machine used by one
    /// job and a lower bound on a shared one.
    ///
    /// - Parameter processCPUSeconds: user + system CPU seconds of the run's process tree over
    ///   the run (getrusage of self and children), or nil to skip attribution.
    /// - Returns: the measurement; a second call returns the same one.
    public func stop(processCPUSeconds: Double?) -> EnergyMeasurement {
        let wasRunning = stateTransitionToStopping()
        if wasRunning {
            wake.signal()
            // The sampler wakes at once; the timeout only guards against a stuck read.
            _ = finished.wait(timeout: .now() + 2)
        }
        return finishMeasurement(processCPUSeconds: processCPUSeconds)
    }
}

extension EnergyMonitor {
    /// Moves a running monitor to `.stopping`; false when it was not running.
    func stateTransitionToStopping() -> Bool {
        state.withLock { state in
            guard state.phase == .running else { return false }
            state.phase = .stopping
            return true
        }
    }

    func finishMeasurement(processCPUSeconds: Double?) -> EnergyMeasurement {
        state.withLock { state in
            if let done = state.finalMeasurement { return done }
            guard state.phase == .stopping else {
                return EnergyMeasurement(
                    joules: 0, provenance: .estimated, meters: [], seconds: 0,
                    notes: ["the energy monitor was never started: no energy was measured"])
            }
            let end = options.clock()
            state.pollMeters(atSeconds: end)
            for meter in state.meters { meter.settle(atSeconds: end) }
            state.recordSamples(atSeconds: end)
            let measurement = Self.makeMeasurement(
                state: state, endSeconds: end, processCPUSeconds: processCPUSeconds, files: options.files)
            for meter in state.meters { meter.close() }
            state.phase = .stopped
            state.finalMeasurement = measurement
            return measurement
        }
    }

    static func makeMeasurement(
        state: MonitorState, endSeconds: Double, processCPUSeconds: Double?, files: SystemFiles
    ) -> EnergyMeasurement {
        var meters: [MeterEnergy] = []
        var resolution: EnergyResolution?
        var measuredJoules = 0.0
        var estimatedJoules = 0.0
        var bridged = MonitorState.ZoneBridges()
        var bridgedZones: [String] = []
        for part in state.contributions {
            let meter = state.meters[part.meter]
            let zoneBridges = state.bridges(meter: part.meter, zone: part.zone)
            let hasBridges = zoneBridges.seconds > 0
            meters.append(
                MeterEnergy(
                    name: meter.name, zone: part.label, joules: part.joules, includedInTotal: part.included, provenance: meter.provenance,
                    bridgedSeconds: hasBridges ? zoneBridges.seconds : nil, bridgedJoules: hasBridges ? zoneBridges.joules : nil))
            guard part.included else { continue }
            if hasBridges {
                bridged.joules += zoneBridges.joules
                bridged.seconds += zoneBridges.seconds
                bridged.missableJoules += zoneBridges.missableJoules
                bridgedZones.append(part.label)
            }
            resolution = resolution.map { $0.coarsened(with: meter.resolution) } ?? meter.resolution
            if meter.provenance == .measured { measuredJoules += part.joules } else { estimatedJoules += part.joules }
        }
        var joules = measuredJoules + estimatedJoules
        var provenance: EnergyProvenance =
            estimatedJoules > 0 || meters.contains { $0.includedInTotal && $0.provenance == .estimated }
            ? (state.distrust != nil && measuredJoules > 0 ? .mixed : .estimated)
            : .measured
        let seconds = max(endSeconds - state.startSeconds, 0)
        var notes = state.notes + state.eventNotes + state.incidentNotes

        // A run that used CPU time is never stored as 0 J measured: counters that did not move
        // at all give way to the estimate, which is then the whole figure.
        if provenance == .measured && joules == 0 && (processCPUSeconds ?? 0) > 0 {
            if let estimateIndex = state.estimateIndex {
                let estimate = state.meters[estimateIndex]
                for (zoneIndex, zone) in estimate.zones.enumerated() {
                    let part = max(zone.joules - state.startJoules[estimateIndex][zoneIndex], 0)
                    if let row = meters.firstIndex(where: { $0.name == estimate.name && $0.zone == zone.label }) {
                        meters[row].joules = part
                        meters[row].includedInTotal = true
                    }
                    joules += part
                }
                for row in meters.indices where meters[row].provenance == .measured { meters[row].includedInTotal = false }
                provenance = .estimated
                resolution = estimate.resolution
                notes.append(
                    "the energy counters did not move while the run used \(EstimateMeter.format(processCPUSeconds ?? 0)) CPU-seconds: 0 J is not a measurement, so the whole run is estimated"
                )
            } else {
                notes.append(
                    "the energy counters did not move while the run used \(EstimateMeter.format(processCPUSeconds ?? 0)) CPU-seconds, and the estimate was not among the chosen meters: 0 J here is not a measurement"
                )
                provenance = .estimated
            }
        }

        var busySeconds: Double?
        if let begin = state.startStat, let end = try? ProcStatTimes.read(files: files), end.busyTicks >= begin.busyTicks {
            busySeconds = Double(end.busyTicks - begin.busyTicks) / ProcStatTimes.ticksPerSecond
        }
        var attributed: Double?
        if let processCPUSeconds {
            if let busy = busySeconds, busy > 0 {
                attributed = joules * min(max(processCPUSeconds / busy, 0), 1)
            } else {
                notes.append("attribution skipped: the machine's busy CPU time over the run is unknown or zero")
            }
        }
        // The estimate's model is named when one of its figures is in the total, or when its
        // memory figure stands beside a measured one; a stand-in that was never needed is not.
        let models = state.meters.enumerated().compactMap { index, meter -> String? in
            guard let model = meter.modelDescription else { return nil }
            let shown = meters.contains {
                $0.name == meter.name
                    && ($0.includedInTotal
                        || ($0.zone == "memory"
                            && !(state.cpuMeterIndex.map { state.meters[$0].zones.contains { $0.includedInTotal && $0.isMemory } } ?? false)))
            }
            return shown || index != state.estimateIndex ? model : nil
        }
        let share = joules > 0 ? bridged.joules / joules : 0
        // Bridges of measured zones matter only while those zones make the total: not when the
        // whole run gave way to the estimate, but still when a measured GPU sits beside an
        // estimated CPU.
        let hasBridges = bridged.seconds > 0 && meters.contains { $0.includedInTotal && $0.provenance == .measured }
        if hasBridges {
            notes.append(
                "bridged \(MonitorState.seconds(bridged.seconds)) of \(bridgedZones.joined(separator: " and ")) "
                    + "(\(MonitorState.joules(bridged.joules)), \(MonitorState.number(share * 100)) % of the energy): the true energy lies between "
                    + "\(MonitorState.joules(joules - bridged.joules)) and \(MonitorState.joules(joules + bridged.missableJoules))"
                    + (share > EnergyResolution.maximumBridgedShare ? "; more than 5 % is bridged, so the figure is not resolved" : ""))
        }
        var measurement = EnergyMeasurement(
            joules: joules, attributedJoules: attributed, provenance: provenance, meters: meters,
            seconds: seconds, resolution: resolution ?? .estimate(ticksPerSecond: ProcStatTimes.ticksPerSecond),
            idleWatts: state.idleWatts,
            netJoules: state.idleWatts.map { max(joules - $0 * seconds, 0) }, notes: notes,
            estimateModel: models.isEmpty ? nil : models.joined(separator: "; "), machineCPUBusySeconds: busySeconds)
        if hasBridges {
            measurement.bridgedJoules = bridged.joules
            measurement.minimumJoules = max(joules - bridged.joules, 0)
            measurement.maximumJoules = joules + bridged.missableJoules
            if share > EnergyResolution.maximumBridgedShare { measurement.resolved = false }
        }
        return measurement
    }
}
