import Foundation
import Vocabulary

extension MonitorState {
    /// What the bridges of one zone add up to over the run.
    struct ZoneBridges {
        var joules = 0.0
        var seconds = 0.0
        /// The most a bridge can have missed: the zone's peak power over each gap, less the bridge.
        var missableJoules = 0.0
    }

    /// Whether an incident belongs to the run's figure: it ended after `start()` (or never
    /// ended), and before the moment a distrusted CPU meter's share of the total ended.
    func belongsToRun(_ incident: CounterIncident, meter meterIndex: Int) -> Bool {
        guard (incident.toSeconds ?? .infinity) > startSeconds || incident.unreadableToTheEnd else { return false }
        if let distrust, meterIndex == cpuMeterIndex { return incident.fromSeconds < distrust.atSeconds }
        return true
    }

    /// The bridges of one zone during the run.
    func bridges(meter meterIndex: Int, zone zoneIndex: Int) -> ZoneBridges {
        let zone = meters[meterIndex].zones[zoneIndex]
        var total = ZoneBridges()
        let folded = zone.foldedIncidents
        if folded.count > 0 && folded.lastSeconds > startSeconds && !(distrust != nil && meterIndex == cpuMeterIndex) {
            total.joules += folded.bridgedJoules
            total.seconds += folded.bridgedSeconds
            total.missableJoules += max(zone.peakObservedWatts * folded.bridgedSeconds - folded.bridgedJoules, 0)
        }
        for incident in zone.incidents where belongsToRun(incident, meter: meterIndex) && incident.bridgedSeconds > 0 {
            let bridged = incident.bridgedJoules ?? 0
            let peak = max(zone.peakObservedWatts, incident.wattsBefore ?? 0, incident.wattsAfter ?? 0)
            total.joules += bridged
            total.seconds += incident.bridgedSeconds
            total.missableJoules += max(peak * incident.bridgedSeconds - bridged, 0)
        }
        return total
    }

    /// One note per incident of every zone during the run, in the order they happened.
    var incidentNotes: [String] {
        var dated: [(seconds: Double, note: String)] = []
        for (meterIndex, meter) in meters.enumerated() {
            for zone in meter.zones {
                for incident in zone.incidents where belongsToRun(incident, meter: meterIndex) {
                    dated.append((incident.fromSeconds, note(incident, meter: meter.name, zone: zone.label)))
                }
                let folded = zone.foldedIncidents
                if folded.count > 0 && folded.lastSeconds > startSeconds {
                    dated.append(
                        (
                            folded.lastSeconds,
                            "\(meter.name) \(zone.label): \(folded.count) more incident\(folded.count == 1 ? "" : "s") after the first "
                                + "\(CounterAccumulator.keptIncidents), summed: \(Self.joules(folded.countedJoules)) counted across gaps, "
                                + "bridged \(Self.seconds(folded.bridgedSeconds)) of \(zone.label), \(Self.joules(folded.bridgedJoules))"
                        ))
                }
            }
        }
        return dated.sorted { $0.seconds < $1.seconds }.map(\.note)
    }

    /// "rapl package-0: reset 0.55 s into the run: the counter fell from 912 J to 0.0210 J;
    /// bridged 0.0150 s of package-0, 0.450 J, from its power before and after (30.0 W, 30.1 W)".
    func note(_ incident: CounterIncident, meter: String, zone: String) -> String {
        let at = Self.seconds(max(incident.fromSeconds - startSeconds, 0))
        var text = "\(meter) \(zone): "
        switch incident.kind {
        case .readFailure(let reason):
            text += "read failure \(at) into the run (\(reason))"
            if let end = incident.toSeconds {
                text += "; read again \(Self.seconds(end - incident.fromSeconds)) later"
                if !incident.laterKinds.isEmpty {
                    text += "; meanwhile the counter " + incident.laterKinds.map(Self.describe).joined(separator: ", then ")
                } else if incident.bridgedSeconds == 0 {
                    text += "; the counter kept counting: \(Self.joules(incident.countedJoules)) counted across the gap, nothing bridged"
                }
            } else if incident.unreadableToTheEnd {
                text += "; it never read again before the run ended"
            }
        case .wrapWithoutRange(let range, let watts):
            text +=
                "wrapped without max_energy_range_uj \(at) into the run; read as a wrap at \(Self.joules(Double(range.microjoules) * 1e-6)) "
                + "(\(range.origin), a range RAPL documents), which implies \(Self.number(watts)) W: \(Self.joules(incident.countedJoules)) counted in full, nothing bridged"
        default:
            let kinds = [incident.kind] + incident.laterKinds
            text += "\(Self.name(incident.kind)) \(at) into the run: the counter " + kinds.map(Self.describe).joined(separator: ", then ")
        }
        if incident.bridgedSeconds > 0 {
            let bridged = incident.bridgedJoules ?? 0
            text += "; bridged \(Self.seconds(incident.bridgedSeconds)) of \(zone), \(Self.joules(bridged)), "
            switch (incident.wattsBefore, incident.wattsAfter) {
            case let (before?, after?):
                text += "from its power before and after (\(Self.number(before)) W, \(Self.number(after)) W)"
            case let (before?, nil): text += "from its power before (\(Self.number(before)) W)"
            case let (nil, after?): text += "from its power after (\(Self.number(after)) W)"
            case (nil, nil): text += "its power on either side being unknown"
            }
        }
        return text
    }

    static func name(_ kind: CounterIncident.Kind) -> String {
        switch kind {
        case .reset: "reset"
        case .stepBack, .jump: "glitch"
        case .wrapWithoutRange: "wrap without range"
        case .readFailure: "read failure"
        }
    }

    static func describe(_ kind: CounterIncident.Kind) -> String {
        switch kind {
        case let .reset(from, to): "fell from \(joules(from)) to \(joules(to)), restarting from zero"
        case let .stepBack(stepped, wrapWatts):
            "stepped back \(joules(stepped)), not a wrap ("
                + (wrapWatts.map { "a wrap would imply \(Self.watts($0))" } ?? "no known range explains it") + ")"
        case let .jump(leapt, watts, over):
            "jumped \(joules(leapt)) in \(seconds(over)), \(Self.watts(watts)), more than any zone can draw"
        case let .wrapWithoutRange(range, _): "wrapped at \(joules(Double(range.microjoules) * 1e-6))"
        case let .readFailure(reason): "could not be read (\(reason))"
        }
    }

    /// Whole numbers from 100 up (a range reads 262143 J, not 2.62e+05 J), three digits below.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        return abs(value) >= 100 && abs(value) < 1e15 ? String(Int(value.rounded())) : String(format: "%.3g", value)
    }

    static func seconds(_ value: Double) -> String { number(value) + " s" }
    /// Powers past 100 kW are glitches: three digits say enough.
    static func watts(_ value: Double) -> String { (abs(value) >= 1e5 ? String(format: "%.3g", value) : number(value)) + " W" }
    static func joules(_ value: Double) -> String { Self.number(value) + " J" }
}
