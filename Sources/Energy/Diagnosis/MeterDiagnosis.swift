import Foundation

/// What `footprint meters` says about one meter: can it be read here, exactly why not, what it sees.
public struct MeterDiagnosis: Sendable, Codable, Equatable {
    /// Power of one zone over the diagnosis interval.
    public struct Zone: Sendable, Codable, Equatable {
        public var zone: String
        public var includedInTotal: Bool
        /// Average power over the interval; nil when the zone stopped answering.
        public var watts: Double?
    }

    /// "rapl", "perf", "nvml" or "estimate".
    public var name: String
    public var available: Bool
    /// Why the meter cannot be used, with remedies where there are some; nil when available.
    public var reason: String?
    public var provenance: EnergyProvenance
    public var zones: [Zone]
    /// Containment decisions, skipped zones, the estimate's model.
    public var notes: [String]
}

/// Tries every meter on this machine and measures each readable zone's power.
///
/// - Parameters:
///   - options: roots and overrides, as for `EnergyMonitor`.
///   - sampleSeconds: how long to measure power (1 s for `footprint meters`).
/// - Returns: one diagnosis per meter, in priority order: rapl, perf, nvml, estimate.
public func diagnoseMeters(options: MeterOptions, sampleSeconds: Double = 1) -> [MeterDiagnosis] {
    var diagnoses: [MeterDiagnosis] = []
    var opened: [(index: Int, meter: any EnergyMeter)] = []
    func attempt(_ name: String, _ open: () throws(EnergyError) -> (any EnergyMeter, [String])) {
        if options.disabledMeters.contains(name) {
            diagnoses.append(MeterDiagnosis(name: name, available: false, reason: "disabled by the caller", provenance: .measured, zones: [], notes: []))
            return
        }
        do {
            let (meter, notes) = try open()
            opened.append((diagnoses.count, meter))
            diagnoses.append(MeterDiagnosis(name: name, available: true, reason: nil, provenance: meter.provenance, zones: [], notes: notes))
        } catch {
            diagnoses.append(MeterDiagnosis(name: name, available: false, reason: error.description, provenance: .measured, zones: [], notes: []))
        }
    }
    attempt("rapl") { () throws(EnergyError) in let meter = try RaplMeter(options: options); return (meter, meter.openingNotes) }
    attempt("perf") { () throws(EnergyError) in let meter = try PerfMeter(options: options); return (meter, meter.openingNotes) }
    attempt("nvml") { () throws(EnergyError) in let meter = try NVMLMeter(options: options); return (meter, meter.openingNotes) }
    let estimate = EstimateMeter(options: options, estimateCPU: true, memoryIncluded: true)
    opened.append((diagnoses.count, estimate))
    diagnoses.append(MeterDiagnosis(
        name: "estimate", available: true, reason: nil, provenance: .estimated, zones: [],
        notes: estimate.openingNotes + [estimate.modelDescription ?? ""]))

    let begin = MonotonicClock.nowSeconds()
    for entry in opened { _ = entry.meter.poll(atSeconds: begin) }
    let startJoules = opened.map { $0.meter.zones.map(\.joules) }
    Thread.sleep(forTimeInterval: max(sampleSeconds, 0.01))
    let end = MonotonicClock.nowSeconds()
    for (position, entry) in opened.enumerated() {
        _ = entry.meter.poll(atSeconds: end)
        diagnoses[entry.index].zones = entry.meter.zones.enumerated().map { zoneIndex, zone in
            MeterDiagnosis.Zone(
                zone: zone.label, includedInTotal: zone.includedInTotal,
                watts: zone.vanished ? nil : (zone.joules - startJoules[position][zoneIndex]) / max(end - begin, 1e-9))
        }
        entry.meter.close()
    }
    return diagnoses
}

/// The plain-text report of `footprint meters`.
///
/// - Parameter diagnoses: the result of `diagnoseMeters(options:sampleSeconds:)`.
/// - Returns: one block per meter, zones with their power, and which meters a run would use.
public func renderMeterDiagnosis(_ diagnoses: [MeterDiagnosis]) -> String {
    var lines: [String] = []
    for diagnosis in diagnoses {
        let status = diagnosis.available ? (diagnosis.provenance == .estimated ? "available (estimate)" : "available") : "unavailable"
        lines.append("\(diagnosis.name): \(status)")
        if let reason = diagnosis.reason { lines.append("  why: \(reason)") }
        for zone in diagnosis.zones {
            let watts = zone.watts.map { String(format: "%.2f W", $0) } ?? "stopped answering"
            let counted = zone.includedInTotal ? "in total" : "not in total"
            lines.append("  \(zone.zone.padding(toLength: max(zone.zone.count, 24), withPad: " ", startingAt: 0)) \(watts)  (\(counted))")
        }
        for note in diagnosis.notes where !note.isEmpty { lines.append("  note: \(note)") }
    }
    let measuredCPU = diagnoses.first { ($0.name == "rapl" || $0.name == "perf") && $0.available }
    let gpu = diagnoses.first { $0.name == "nvml" && $0.available }
    var plan = "A run here would use: " + (measuredCPU.map { "\($0.name) (measured)" } ?? "the estimate for CPU and memory (estimated)")
    if gpu != nil { plan += " + nvml (measured)" }
    lines.append(plan)
    return lines.joined(separator: "\n") + "\n"
}
