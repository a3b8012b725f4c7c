import Foundation

/// What happened to one meter of the chain when meters were chosen.
public struct MeterCandidate: Sendable, Codable, Equatable {
    /// Where the chain left it.
    public enum Status: String, Sendable, Codable {
        /// Left out by `--meter` or `FOOTPRINT_METERS`.
        case notSelected = "not selected"
        /// It could not be opened here (no zones, permission, no driver); `reason` says why.
        case unavailable
        /// It opened but its counters failed the probe; `reason` names the counter.
        case refused
        /// It counts, and a run here uses it.
        case used
        /// It counts, but a better meter covers the same energy (perf behind RAPL).
        case standby
        /// Not opened for a run: a meter earlier in the chain already measures the same energy
        /// (perf when RAPL counts). `footprint meters` still opens and probes it.
        case notNeeded = "not needed"
    }

    public var kind: MeterKind
    public var status: Status
    /// Why it is unavailable, refused or on standby.
    public var reason: String?
    /// Containment decisions, skipped zones, the estimate's model.
    public var notes: [String]
}

/// Opens the best meters this machine allows, proves that their counters count, and keeps the
/// reason for every step down the chain.
///
/// One list drives both a run and `footprint meters`: the node's counters through
/// `footprint agent` when its socket is there; else CPU energy from RAPL through powercap, else
/// the same counters through perf_event, else the estimate; GPUs (NVML, AMD SMI, hwmon) on top
/// when they count.
/// Every counter meter must pass ``MeterProbe`` first. Beside a measured CPU the estimate
/// still runs (its zones left out of the total): it stands in for memory when no dram zone is
/// measured, and for the CPU from the moment the watchdog stops trusting a counter.
struct MeterSelection {
    /// The meters a run reads, chosen first and the estimate last.
    var meters: [any EnergyMeter]
    /// Fallback reasons, containment notes and probe remarks, carried into the run.
    var notes: [String]
    /// Every meter of the chain and what happened to it, in catalogue order.
    var candidates: [MeterCandidate]
    /// How long the probe took; nil when no counter needed one.
    var probeSeconds: Double?
    /// Index in `meters` of the measured CPU meter (rapl or perf), if any.
    var cpuMeterIndex: Int?
    /// Index in `meters` of the estimate, if it runs.
    var estimateIndex: Int?

    /// The counter meters of the chain, in order of preference.
    static let counterMeters: [MeterKind] = [.agent, .rapl, .perf, .nvml, .amdsmi, .hwmon]

    /// Meters that read only the host (CPU and memory), never opened for a rank that measures
    /// its own devices only.
    static let hostOnlyMeters: Set<MeterKind> = [.rapl, .perf, .estimate]

    /// Opens one counter meter: the one place that knows each meter's type. The agent and
    /// hwmon can give two meters, one for the host and one for devices.
    static func openCounterMeter(_ kind: MeterKind, options: MeterOptions) throws(EnergyError) -> (
        meters: [any EnergyMeter], notes: [String]
    ) {
        switch kind {
        case .agent: let opened = try AgentClient.openMeters(options: options); return (opened.meters, opened.notes)
        case .rapl: let meter = try RaplMeter(options: options); return ([meter], meter.openingNotes)
        case .perf: let meter = try PerfMeter(options: options); return ([meter], meter.openingNotes)
        case .nvml: let meter = try NVMLMeter(options: options); return ([meter], meter.openingNotes)
        case .amdsmi: let meter = try AMDSMIMeter(options: options); return ([meter], meter.openingNotes)
        case .hwmon: let opened = try HwmonMeter.open(options: options); return (opened.meters, opened.notes)
        case .estimate: throw EnergyError.meterUnavailable(meter: "estimate", reason: "the estimate has no counter")
        }
    }

    /// Opens and probes the chain.
    ///
    /// - Parameters:
    ///   - options: Roots, overrides and the `--meter` choice.
    ///   - everyCandidate: Whether to open and probe every meter, as `footprint meters` does to
    ///     show them all. A run passes false: a meter whose counters a meter already in use
    ///     reads (perf behind RAPL, anything the agent serves) is then not opened.
    /// - Returns: The chosen meters, with what happened to every candidate.
    static func open(options: MeterOptions, everyCandidate: Bool = true) -> MeterSelection {
        var notes = options.environmentNotes
        var candidates: [MeterCandidate] = []
        var meters: [any EnergyMeter] = []
        var cpuMeterIndex: Int?
        var probeSeconds: Double?
        // Kinds whose counters a meter in use already reads, and its name (the agent's RAPL).
        var coveredBy: [MeterKind: String] = [:]
        // Why meters were passed over, as (unavailable 0 or refused 1, kind, note): listed as
        // when every meter was opened at once, whichever stage looked at it.
        var passedOver: [(stage: Int, kind: MeterKind, note: String)] = []
        // The agent first: what it serves is not opened again. Then the local meters; for a
        // run, perf last, only when no trusted meter reads the host's counters.
        let stages: [[MeterKind]] =
            everyCandidate ? [[.agent], [.rapl, .perf, .nvml, .amdsmi, .hwmon]] : [[.agent], [.rapl, .nvml, .amdsmi, .hwmon], [.perf]]
        for stage in stages {
            var opened: [(candidate: Int, meter: any EnergyMeter)] = []
            for kind in stage {
                guard options.permits(kind), !(options.devicesOnly && hostOnlyMeters.contains(kind)) else {
                    candidates.append(MeterCandidate(kind: kind, status: .notSelected, reason: selectionReason(options), notes: []))
                    continue
                }
                if !everyCandidate {
                    let covering = coveredBy[kind] ?? (kind == .perf ? cpuMeterIndex.map { meters[$0].name } : nil)
                    if let covering {
                        candidates.append(
                            MeterCandidate(
                                kind: kind, status: .notNeeded, reason: "not opened: \(covering) already measures the same counters",
                                notes: []))
                        continue
                    }
                }
                do throws(EnergyError) {
                    var (newMeters, openingNotes) = try openCounterMeter(kind, options: options)
                    if options.devicesOnly {
                        for meter in newMeters where meter.role == .host { meter.close() }
                        newMeters.removeAll { $0.role == .host }
                        guard !newMeters.isEmpty else {
                            throw EnergyError.meterUnavailable(
                                meter: kind.rawValue, reason: "it reads only the host here, and this rank measures its own devices only")
                        }
                    }
                    for meter in newMeters { opened.append((candidates.count, meter)) }
                    candidates.append(MeterCandidate(kind: kind, status: .used, reason: nil, notes: openingNotes))
                } catch {
                    candidates.append(MeterCandidate(kind: kind, status: .unavailable, reason: error.description, notes: []))
                    passedOver.append((0, kind, "\(kind.rawValue) unavailable: \(error.description)"))
                }
            }
            guard !opened.isEmpty else { continue }
            let probe = MeterProbe.probe(opened.map(\.meter), options: options)
            probeSeconds = (probeSeconds ?? 0) + probe.seconds
            // A candidate with two meters (host and devices) is used when either is.
            var outcomes: [Int: [MeterCandidate.Status]] = [:]
            // What happened to a part that was not used, kept as a note when the other part is.
            var partNotes: [Int: [String]] = [:]
            for (position, entry) in opened.enumerated() {
                let verdict = probe.verdicts[position]
                candidates[entry.candidate].notes += verdict.notes
                guard verdict.trusted else {
                    outcomes[entry.candidate, default: []].append(.refused)
                    candidates[entry.candidate].reason = verdict.refusal
                    partNotes[entry.candidate, default: []].append(
                        "its \(entry.meter.role == .host ? "host" : "device") zones were refused: \(verdict.refusal ?? "their counters did not count")"
                    )
                    passedOver.append(
                        (1, entry.meter.kind, "\(entry.meter.name) refused: \(verdict.refusal ?? "its counters did not count")"))
                    entry.meter.close()
                    continue
                }
                var standbyReason: String?
                if let covering = coveredBy[entry.meter.kind] {
                    standbyReason = "\(covering) already measures the same counters"
                } else if entry.meter.role == .host, let cpuMeterIndex {
                    standbyReason = "\(meters[cpuMeterIndex].name) already measures the same counters"
                }
                if let standbyReason {
                    outcomes[entry.candidate, default: []].append(.standby)
                    candidates[entry.candidate].reason = standbyReason
                    partNotes[entry.candidate, default: []].append(
                        "its \(entry.meter.role == .host ? "host" : "device") zones are on standby: \(standbyReason)")
                    entry.meter.close()
                    continue
                }
                outcomes[entry.candidate, default: []].append(.used)
                if entry.meter.role == .host { cpuMeterIndex = meters.count }
                // What every meter in use covers, the agent's served kinds included.
                candidates[entry.candidate].notes += entry.meter.yieldZones(coveredBy: Set(meters.flatMap(\.coveredKinds)))
                meters.append(entry.meter)
                for kind in entry.meter.coveredKinds where kind != entry.meter.kind { coveredBy[kind] = entry.meter.name }
            }
            for (candidate, statuses) in outcomes {
                let status: MeterCandidate.Status = statuses.contains(.used) ? .used : statuses.contains(.standby) ? .standby : .refused
                candidates[candidate].status = status
                if status == .used {
                    candidates[candidate].reason = nil
                    candidates[candidate].notes += partNotes[candidate] ?? []
                }
            }
        }
        // Catalogue order whichever stage a candidate was looked at in.
        func rank(_ kind: MeterKind) -> Int { counterMeters.firstIndex(of: kind) ?? counterMeters.count }
        candidates.sort { rank($0.kind) < rank($1.kind) }
        notes += passedOver.sorted { ($0.stage, rank($0.kind)) < ($1.stage, rank($1.kind)) }.map(\.note)
        // The host meter first, then the devices, as when every candidate was probed together.
        if let index = cpuMeterIndex, index != 0 {
            let cpuMeter = meters.remove(at: index)
            meters.insert(cpuMeter, at: 0)
            cpuMeterIndex = 0
        }
        for candidate in candidates where candidate.status == .used { notes += candidate.notes }

        var estimateIndex: Int?
        if options.permits(.estimate), !options.devicesOnly {
            let cpuMeter = cpuMeterIndex.map { meters[$0] }
            let memoryMeasured = cpuMeter?.zones.contains { $0.includedInTotal && $0.isMemory } ?? false
            let estimate = EstimateMeter(
                options: options, estimateCPU: true, cpuIncluded: cpuMeter == nil,
                memoryIncluded: cpuMeter == nil)
            estimateIndex = meters.count
            meters.append(estimate)
            notes += estimate.openingNotes
            if cpuMeter == nil {
                notes.append("estimate: CPU and memory energy are estimated")
            } else if !memoryMeasured {
                notes.append(
                    "memory is not measured here (no dram zone); its estimate is listed beside the measured total, not added to it")
            }
            candidates.append(
                MeterCandidate(
                    kind: .estimate, status: cpuMeter == nil ? .used : .standby,
                    reason: cpuMeter == nil ? nil : "beside a measured CPU: stands in if a counter stops being trusted",
                    notes: estimate.openingNotes + [estimate.modelDescription ?? ""].filter { !$0.isEmpty }))
        } else {
            candidates.append(MeterCandidate(kind: .estimate, status: .notSelected, reason: selectionReason(options), notes: []))
        }
        return MeterSelection(
            meters: meters, notes: notes, candidates: candidates, probeSeconds: probeSeconds,
            cpuMeterIndex: cpuMeterIndex, estimateIndex: estimateIndex)
    }

    private static func selectionReason(_ options: MeterOptions) -> String {
        if options.devicesOnly {
            return "this rank measures its own devices only; the node's host energy is measured by its first rank"
        }
        if let allowed = options.allowedMeters {
            return "not in the chosen meters (" + allowed.sorted().map(\.rawValue).joined(separator: ", ") + ")"
        }
        return "disabled by the caller"
    }
}
