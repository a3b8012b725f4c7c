import Foundation

/// Everything the monitor's thread and its callers share; only touched under `Locked`.
struct MonitorState {
    enum Phase { case idle, running, stopping, stopped }

    struct ZoneTally {
        var wraps = 0
        var droppedBackwards = 0
        var droppedImplausible = 0
        var droppedSeconds = 0.0
        var largestImplausibleWatts = 0.0
        var vanishedAfterSeconds: Double?
        var vanishedReason: String?
    }

    var phase = Phase.idle
    var meters: [any EnergyMeter] = []
    var notes: [String] = []
    var opened = false
    var startSeconds = 0.0
    var startStat: ProcStatTimes?
    /// Each zone's joules when the run started (idle measurement happens before).
    var startJoules: [[Double]] = []
    var idleWatts: Double?
    var samples: [PowerSample] = []
    var lastSampleSeconds = 0.0
    var lastSampleJoules: [[Double]] = []
    var tallies: [String: ZoneTally] = [:]
    var tallyOrder: [String] = []
    var finalMeasurement: EnergyMeasurement?

    /// Polls every meter once, keeping what happened to each zone for the notes.
    mutating func pollMeters(atSeconds seconds: Double) {
        for meter in meters {
            for (zone, event) in meter.poll(atSeconds: seconds) {
                let key = "\(meter.name) \(meter.zones[zone].label)"
                if tallies[key] == nil { tallyOrder.append(key) }
                var tally = tallies[key, default: ZoneTally()]
                switch event {
                case .wrapped: tally.wraps += 1
                case let .droppedBackwards(dropped):
                    tally.droppedBackwards += 1
                    tally.droppedSeconds += dropped
                case let .droppedImplausible(watts, dropped):
                    tally.droppedImplausible += 1
                    tally.droppedSeconds += dropped
                    tally.largestImplausibleWatts = max(tally.largestImplausibleWatts, watts)
                case let .vanished(reason):
                    tally.vanishedAfterSeconds = phase == .idle ? 0 : max(seconds - startSeconds, 0)
                    tally.vanishedReason = reason
                }
                tallies[key] = tally
            }
        }
    }

    /// Joules of every zone now, per meter.
    var zoneJoules: [[Double]] { meters.map { $0.zones.map(\.joules) } }

    /// Sum of the zones counted in the total, since the run started.
    var includedJoulesSinceStart: Double {
        var total = 0.0
        for (meterIndex, meter) in meters.enumerated() {
            for (zoneIndex, zone) in meter.zones.enumerated() where zone.includedInTotal {
                total += zone.joules - startJoules[meterIndex][zoneIndex]
            }
        }
        return total
    }

    /// Appends one power sample per live zone for the interval since the previous sample.
    mutating func recordSamples(atSeconds seconds: Double) {
        let interval = seconds - lastSampleSeconds
        guard interval > 0 else { return }
        let now = zoneJoules
        for (meterIndex, meter) in meters.enumerated() {
            for (zoneIndex, zone) in meter.zones.enumerated() where !zone.vanished {
                let watts = (now[meterIndex][zoneIndex] - lastSampleJoules[meterIndex][zoneIndex]) / interval
                samples.append(PowerSample(
                    elapsedSeconds: seconds - startSeconds, meter: meter.name, zone: zone.label, watts: watts))
            }
        }
        lastSampleSeconds = seconds
        lastSampleJoules = now
    }

    /// Notes for wraps, dropped intervals and vanished zones.
    var eventNotes: [String] {
        tallyOrder.compactMap { key -> String? in
            guard let tally = tallies[key] else { return nil }
            var parts: [String] = []
            if tally.wraps > 0 {
                parts.append("counter wrapped \(tally.wraps) time\(tally.wraps == 1 ? "" : "s"), handled with max_energy_range_uj")
            }
            if tally.droppedBackwards > 0 {
                parts.append("counter went backwards \(tally.droppedBackwards) time(s) with no known range (a reset?); those intervals are dropped, not guessed")
            }
            if tally.droppedImplausible > 0 {
                parts.append("\(tally.droppedImplausible) interval(s) implying up to \(EstimateMeter.format(tally.largestImplausibleWatts)) W, above the peak bound, dropped as counter glitches")
            }
            if tally.droppedBackwards + tally.droppedImplausible > 0 {
                parts.append(String(format: "%.3g s of energy missing from this zone", tally.droppedSeconds))
            }
            if let after = tally.vanishedAfterSeconds {
                parts.append("stopped answering \(EstimateMeter.format(after)) s into the run (\(tally.vanishedReason ?? "no reason given")); the energy measured before is kept")
            }
            return "\(key): " + parts.joined(separator: "; ")
        }
    }
}
