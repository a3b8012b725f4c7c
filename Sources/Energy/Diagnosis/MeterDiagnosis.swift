import Foundation
import Vocabulary

/// What `footprint meters` says about one meter: can it be read here, does it count, exactly
/// why not, and what it sees.
public struct MeterDiagnosis: Sendable, Codable, Equatable {
    /// Power of one zone over the diagnosis interval.
    public struct Zone: Sendable, Codable, Equatable {
        public var zone: String
        public var includedInTotal: Bool
        /// Average power over the interval; nil when the zone stopped answering.
        public var watts: Double?
    }

    /// "agent", "rapl", "perf", "nvml", "amdsmi", "hwmon" or "estimate".
    public var name: String
    /// What a run here counts with it: "host" (CPU and memory), "devices" (GPUs), "host and
    /// devices" (the agent, hwmon); nil when a run does not count with it.
    public var measures: String?
    /// True when a run here would read it (used, or on standby beside the meter in use).
    public var available: Bool
    /// `used`, `standby`, `refused`, `unavailable` or `not selected`.
    public var status: String
    /// Why the meter is not used, with remedies where there are some; nil when used.
    public var reason: String?
    public var provenance: EnergyProvenance
    /// Energy step and update period: what the meter's figures can resolve.
    public var resolution: EnergyResolution?
    public var zones: [Zone]
    /// Containment decisions, skipped zones, the estimate's model.
    public var notes: [String]
    /// How long the busy probe of the counters took (the same probe for every counter meter).
    public var probeSeconds: Double?
}

/// Chooses meters exactly as a run would (probe included), then measures each chosen zone's
/// power.
///
/// - Parameters:
///   - options: roots, overrides and `--meter` choices, as for `EnergyMonitor`.
///   - sampleSeconds: how long to measure power (1 s for `footprint meters`).
/// - Returns: one diagnosis per meter, in chain order: agent, rapl, perf, nvml, amdsmi, hwmon, estimate.
public func diagnoseMeters(options: MeterOptions, sampleSeconds: Double = 1) -> [MeterDiagnosis] {
    let selection = MeterSelection.open(options: options)
    var diagnoses: [MeterDiagnosis] = selection.candidates.map { candidate in
        let meter = selection.meters.first { $0.kind == candidate.kind }
        let roles = selection.meters.enumerated().filter { $0.element.kind == candidate.kind }.map { index, meter in
            meter.kind == .estimate ? "host" : (index == selection.cpuMeterIndex || meter.role == .host ? "host" : "devices")
        }
        let measures =
            candidate.status == .used && !roles.isEmpty
            ? Set(roles).sorted { $0 > $1 }.joined(separator: " and ") : nil
        return MeterDiagnosis(
            name: candidate.kind.rawValue, measures: measures,
            available: candidate.status == .used || (candidate.status == .standby && meter != nil),
            status: candidate.status.rawValue, reason: candidate.reason,
            provenance: candidate.kind == .estimate ? .estimated : .measured, resolution: meter?.resolution,
            zones: [], notes: candidate.notes,
            probeSeconds: candidate.kind == .estimate
                ? nil : (candidate.status == .notSelected || candidate.status == .unavailable ? nil : selection.probeSeconds))
    }
    let begin = options.clock()
    for meter in selection.meters { _ = meter.poll(atSeconds: begin) }
    let startJoules = selection.meters.map { $0.zones.map(\.joules) }
    Thread.sleep(forTimeInterval: max(sampleSeconds, 0.01))
    let end = options.clock()
    for (position, meter) in selection.meters.enumerated() {
        _ = meter.poll(atSeconds: end)
        guard let index = diagnoses.firstIndex(where: { $0.name == meter.name }) else { continue }
        // The agent and hwmon can give two meters (host and devices): their zones are listed together.
        diagnoses[index].zones += meter.zones.enumerated().map { zoneIndex, zone in
            MeterDiagnosis.Zone(
                zone: zone.label, includedInTotal: zone.includedInTotal,
                watts: zone.unreadable ? nil : (zone.joules - startJoules[position][zoneIndex]) / max(end - begin, 1e-9))
        }
        meter.close()
    }
    return diagnoses
}

/// The plain-text report of `footprint meters`.
///
/// - Parameter diagnoses: the result of `diagnoseMeters(options:sampleSeconds:)`.
/// - Returns: one block per meter, zones with their power, the probe's length, and which meters
///   a run would use.
public func renderMeterDiagnosis(_ diagnoses: [MeterDiagnosis]) -> String {
    var lines: [String] = []
    for diagnosis in diagnoses {
        let status = diagnosis.status == "used" && diagnosis.provenance == .estimated ? "used (estimate)" : diagnosis.status
        lines.append("\(diagnosis.name): \(status)")
        if let reason = diagnosis.reason { lines.append("  why: \(reason)") }
        if let resolution = diagnosis.resolution { lines.append("  resolution: \(resolution.source)") }
        for zone in diagnosis.zones {
            let watts = zone.watts.map { String(format: "%.2f W", $0) } ?? "stopped answering"
            let counted = zone.includedInTotal ? "in total" : "not in total"
            lines.append("  \(zone.zone.padding(toLength: max(zone.zone.count, 24), withPad: " ", startingAt: 0)) \(watts)  (\(counted))")
        }
        for note in diagnosis.notes where !note.isEmpty { lines.append("  note: \(note)") }
    }
    if let probe = diagnoses.compactMap(\.probeSeconds).first {
        lines.append(
            String(
                format: "Probe: %.0f ms of busy work on the calling thread; a counter must advance during it to be trusted.", probe * 1000))
    }
    let measuredCPU = diagnoses.first { $0.name != "estimate" && $0.measures?.contains("host") == true }
    let devices = diagnoses.filter { $0.measures?.contains("devices") == true }.map(\.name)
    let estimate = diagnoses.first { $0.name == "estimate" && $0.status == "used" }
    var plan = "A run here would use: "
    if let measuredCPU {
        plan += "\(measuredCPU.name) (measured)"
    } else if estimate != nil {
        plan += "the estimate for CPU and memory (estimated)"
    } else {
        plan += "no CPU meter (none of the chosen meters works here)"
    }
    for name in devices { plan += " + \(name) for devices (measured)" }
    lines.append(plan)
    return lines.joined(separator: "\n") + "\n"
}
