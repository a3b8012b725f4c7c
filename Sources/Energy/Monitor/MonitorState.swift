import Foundation
import Vocabulary

/// Everything the monitor's thread and its callers share; only touched under `Locked`.
struct MonitorState {
    enum Phase { case idle, running, stopping, stopped }

    struct ZoneTally {
        var wraps = 0
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
            if meterIndex == cpuMeterIndex { watch(meter, atSeconds: seconds) }
            // Wraps with a known range are routine and summed in one note per zone; every
            // other event is an incident the zone keeps, noted one by one at the end.
            for (zone, event) in events where event == .wrapped {
                let key = "\(meter.name) \(meter.zones[zone].label)"
                if tallies[key] == nil { tallyOrder.append(key) }
                tallies[key, default: ZoneTally()].wraps += 1
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

    /// The watchdog: a counter of the CPU meter that stays flat while CPU time is used, or a
    /// meter lost altogether, stops being trusted from now. A counter that resets, jumps or fails a read loses only that
    /// interval (bridged by the counter itself), so such events distrust nothing.
    mutating func watch(_ meter: any EnergyMeter, atSeconds seconds: Double) {
        guard distrust == nil, phase == .running || phase == .stopping else { return }
        // A meter that cannot be read any more (the agent gone) is a counter that stopped.
        if let reason = meter.lostReason { return distrustCPUMeter(atSeconds: seconds, reason: reason) }
        guard let cpu = cpuSecondsSource() else { return }
        let limit = Self.flatLimitSeconds(meter.resolution)
        for (index, zone) in meter.zones.enumerated() where zone.includedInTotal {
            // An unreadable counter is not flat: it is bridged when it reads again.
            guard let last = advances[index], zone.joules <= last.joules, !zone.unreadable else {
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
            for (zoneIndex, zone) in meter.zones.enumerated() where !zone.unreadable {
                let watts = (now[meterIndex][zoneIndex] - lastSampleJoules[meterIndex][zoneIndex]) / interval
                samples.append(
                    PowerSample(
                        elapsedSeconds: seconds - startSeconds, meter: meter.name, zone: zone.label, watts: watts))
            }
        }
        lastSampleSeconds = seconds
        lastSampleJoules = now
    }

    /// One note per zone whose counter wrapped at its known range.
    var eventNotes: [String] {
        tallyOrder.compactMap { key -> String? in
            guard let tally = tallies[key], tally.wraps > 0 else { return nil }
            return "\(key): counter wrapped \(tally.wraps) time\(tally.wraps == 1 ? "" : "s"), handled with max_energy_range_uj"
        }
    }
}
