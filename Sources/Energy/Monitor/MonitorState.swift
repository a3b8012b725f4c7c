import Foundation
import Vocabulary

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

    /// The moment a measured CPU meter stopped being trusted, and what everything read then.
    struct Distrust {
        var atSeconds: Double
        var reason: String
        /// The distrusted meter's zone joules at that moment: its share of the total ends there.
        var meterJoules: [Double]
        /// The estimate's zone joules at that moment: its share of the total starts there.
        var estimateJoules: [Double]
    }

    /// Per included zone of the CPU meter: when its counter last advanced, and the CPU time
    /// burnt by then.
    struct Advance {
        var joules: Double
        var seconds: Double
        var cpuSeconds: Double
    }

    var phase = Phase.idle
    var meters: [any EnergyMeter] = []
    var notes: [String] = []
    var candidates: [MeterCandidate] = []
    var probeSeconds: Double?
    var cpuMeterIndex: Int?
    var estimateIndex: Int?
    var distrust: Distrust?
    var advances: [Int: Advance] = [:]
    /// CPU seconds of the measured tree (or of the machine, from /proc/stat), for the watchdog.
    var cpuSecondsSource: () -> Double? = { nil }
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

    /// Polls every meter once, keeping what happened to each zone for the notes, and lets the
    /// watchdog judge the CPU counter.
    mutating func pollMeters(atSeconds seconds: Double) {
        for (meterIndex, meter) in meters.enumerated() {
            let events = meter.poll(atSeconds: seconds)
            if meterIndex == cpuMeterIndex { watch(meter, events: events, atSeconds: seconds) }
            for (zone, event) in events {
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
        contributions.reduce(0) { $0 + ($1.included ? $1.joules : 0) }
    }

    /// Each zone's joules since the start as the run's total counts them: a distrusted CPU
    /// meter up to the moment of distrust, the estimate's stand-in zones from that moment on.
    var contributions: [(meter: Int, zone: Int, joules: Double, included: Bool, label: String)] {
        var parts: [(meter: Int, zone: Int, joules: Double, included: Bool, label: String)] = []
        for (meterIndex, meter) in meters.enumerated() {
            for (zoneIndex, zone) in meter.zones.enumerated() {
                let start = startJoules.indices.contains(meterIndex) ? startJoules[meterIndex][zoneIndex] : zone.joules
                var joules = zone.joules - start
                var included = zone.includedInTotal
                var label = zone.label
                if let distrust, phase != .idle {
                    if meterIndex == cpuMeterIndex {
                        joules = distrust.meterJoules[zoneIndex] - start
                    } else if meterIndex == estimateIndex, standsIn(for: zone) {
                        joules = zone.joules - distrust.estimateJoules[zoneIndex]
                        included = true
                        label = zone.label + " (from " + EstimateMeter.format(max(distrust.atSeconds - startSeconds, 0)) + " s)"
                    }
                }
                parts.append((meterIndex, zoneIndex, max(joules, 0), included, label))
            }
        }
        return parts
    }

    /// Whether an estimate zone replaces the distrusted meter: the CPU always, memory when the
    /// meter measured it (dram or psys).
    func standsIn(for zone: MeterZone) -> Bool {
        guard let cpuMeterIndex, !zone.includedInTotal else { return false }
        if zone.label == "cpu" { return true }
        return zone.label == "memory" && meters[cpuMeterIndex].zones.contains { $0.includedInTotal && $0.isMemory }
    }

    /// Longest a measured counter may stay flat while CPU time is being burnt: fifty update
    /// periods, and never under half a second (an idle package still moves its counter).
    static func flatLimitSeconds(_ resolution: EnergyResolution) -> Double {
        max(50 * resolution.periodSeconds, 0.5)
    }

    /// The watchdog: a counter of the CPU meter that jumps (a dropped implausible or
    /// backwards interval) or stays flat while CPU time is used stops being trusted from now.
    mutating func watch(_ meter: any EnergyMeter, events: [(zone: Int, event: ZoneEvent)], atSeconds seconds: Double) {
        guard distrust == nil, phase == .running || phase == .stopping else { return }
        for (zone, event) in events where meter.zones[zone].includedInTotal {
            let name = "\(meter.name) \(meter.zones[zone].label)"
            switch event {
            case let .droppedImplausible(watts, interval):
                return distrustCPUMeter(
                    atSeconds: seconds,
                    reason:
                        "\(name) jumped by the equivalent of \(EstimateMeter.format(watts)) W over \(EstimateMeter.format(interval)) s, more than any zone can draw: a counter reset"
                )
            case .droppedBackwards:
                return distrustCPUMeter(atSeconds: seconds, reason: "\(name) went backwards with no known range: a counter reset")
            case let .vanished(reason):
                // One zone gone (a dram zone unplugged) leaves the others trustworthy; a meter
                // with no live zone left has stopped measuring.
                if meter.zones.allSatisfy({ !$0.includedInTotal || $0.vanished }) {
                    return distrustCPUMeter(atSeconds: seconds, reason: "\(name) stopped answering (\(reason))")
                }
            case .wrapped:
                break
            }
        }
        guard let cpu = cpuSecondsSource() else { return }
        let limit = Self.flatLimitSeconds(meter.resolution)
        for (index, zone) in meter.zones.enumerated() where zone.includedInTotal {
            guard let last = advances[index], zone.joules <= last.joules else {
                advances[index] = Advance(joules: zone.joules, seconds: seconds, cpuSeconds: cpu)
                continue
            }
            let flat = seconds - last.seconds
            let burnt = cpu - last.cpuSeconds
            if flat >= limit && burnt >= 0.25 * flat {
                return distrustCPUMeter(
                    atSeconds: seconds,
                    reason:
                        "\(meter.name) \(zone.label) stayed flat for \(EstimateMeter.format(flat)) s while \(EstimateMeter.format(burnt)) CPU-seconds were used: a counter that stopped counting"
                )
            }
        }
    }

    mutating func distrustCPUMeter(atSeconds seconds: Double, reason: String) {
        guard let cpuMeterIndex else { return }
        let estimate = estimateIndex.map { meters[$0].zones.map(\.joules) } ?? []
        distrust = Distrust(
            atSeconds: seconds, reason: reason, meterJoules: meters[cpuMeterIndex].zones.map(\.joules), estimateJoules: estimate)
        let at = EstimateMeter.format(max(seconds - startSeconds, 0))
        notes.append(
            estimateIndex == nil
                ? "\(reason); from \(at) s into the run its energy is missing, since the estimate was not among the chosen meters"
                : "\(reason); from \(at) s into the run the CPU\(meters[cpuMeterIndex].zones.contains { $0.includedInTotal && $0.isMemory } ? " and memory" : "") energy is estimated"
        )
    }

    /// Appends one power sample per live zone for the interval since the previous sample.
    mutating func recordSamples(atSeconds seconds: Double) {
        let interval = seconds - lastSampleSeconds
        guard interval > 0 else { return }
        let now = zoneJoules
        for (meterIndex, meter) in meters.enumerated() where !(distrust != nil && meterIndex == cpuMeterIndex) {
            for (zoneIndex, zone) in meter.zones.enumerated() where !zone.vanished {
                let watts = (now[meterIndex][zoneIndex] - lastSampleJoules[meterIndex][zoneIndex]) / interval
                samples.append(
                    PowerSample(
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
                parts.append(
                    "counter went backwards \(tally.droppedBackwards) time(s) with no known range (a reset?); those intervals are dropped, not guessed"
                )
            }
            if tally.droppedImplausible > 0 {
                parts.append(
                    "\(tally.droppedImplausible) interval(s) implying up to \(EstimateMeter.format(tally.largestImplausibleWatts)) W, above the peak bound, dropped as counter glitches"
                )
            }
            if tally.droppedBackwards + tally.droppedImplausible > 0 {
                parts.append(String(format: "%.3g s of energy missing from this zone", tally.droppedSeconds))
            }
            if let after = tally.vanishedAfterSeconds {
                parts.append(
                    "stopped answering \(EstimateMeter.format(after)) s into the run (\(tally.vanishedReason ?? "no reason given")); the energy measured before is kept"
                )
            }
            return "\(key): " + parts.joined(separator: "; ")
        }
    }
}
