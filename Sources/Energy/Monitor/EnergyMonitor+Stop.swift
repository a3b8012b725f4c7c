import Foundation

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
            let end = MonotonicClock.nowSeconds()
            state.pollMeters(atSeconds: end)
            state.recordSamples(atSeconds: end)
            let measurement = Self.makeMeasurement(state: state, endSeconds: end, processCPUSeconds: processCPUSeconds, files: options.files)
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
        for (meterIndex, meter) in state.meters.enumerated() {
            for (zoneIndex, zone) in meter.zones.enumerated() {
                meters.append(MeterEnergy(
                    name: meter.name, zone: zone.label,
                    joules: max(zone.joules - state.startJoules[meterIndex][zoneIndex], 0),
                    includedInTotal: zone.includedInTotal, provenance: meter.provenance))
            }
        }
        let included = meters.filter(\.includedInTotal)
        let joules = included.reduce(0) { $0 + $1.joules }
        let provenance: EnergyProvenance = included.contains { $0.provenance == .estimated } ? .estimated : .measured
        let seconds = max(endSeconds - state.startSeconds, 0)
        var notes = state.notes + state.eventNotes
        if provenance == .measured && joules == 0 && seconds >= 1 {
            notes.append("the energy counters did not move in \(EstimateMeter.format(seconds)) s: 0 J is not a credible measurement (frozen counters in a VM?)")
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
        let models = state.meters.compactMap(\.modelDescription)
        return EnergyMeasurement(
            joules: joules, attributedJoules: attributed, provenance: provenance, meters: meters,
            seconds: seconds, idleWatts: state.idleWatts,
            netJoules: state.idleWatts.map { max(joules - $0 * seconds, 0) }, notes: notes,
            estimateModel: models.isEmpty ? nil : models.joined(separator: "; "), machineCPUBusySeconds: busySeconds)
    }
}
