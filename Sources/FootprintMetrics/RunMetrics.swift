import Vocabulary
import Prometheus
import Synchronization

/// A Prometheus registry that follows runs through their ``LiveRunSnapshot``s: what the
/// `/metrics` endpoint serves and what the Pushgateway receives.
///
/// Every series carries `run` (the run's UUID, else its number), `job_key` (the job key, empty
/// for a run on its own), `node` and `rank` (empty outside a job). The job key is not called
/// `job` because Prometheus gives that label to the scrape job (and the Pushgateway to the
/// grouping key), which would rename ours to `exported_job`.
///
/// | Metric | Type | Extra labels | Value |
/// |---|---|---|---|
/// | `footprint_energy_joules_total` | counter | `meter`, `zone` | energy of one zone counted in the run's total |
/// | `footprint_power_watts` | gauge | `meter`, `zone` | latest power sample of that zone |
/// | `footprint_co2e_grams_total` | counter | | CO2e so far (operational and embodied) |
/// | `footprint_flops_total` | counter | | FLOPs of the epochs finished |
/// | `footprint_epoch` | gauge | | epochs finished |
/// | `footprint_run_info` | gauge = 1 | `name`, `model`, `dataset`, `provenance` | what the run is |
///
/// Energy is exported per meter zone, and only for the zones the run's total counts, so
/// `sum by (run) (footprint_energy_joules_total)` is the run's total and never counts a zone
/// inside another (core inside package) or an estimate kept beside a measurement. A snapshot
/// with a total but no zones gives one series with `meter="all", zone="all"`. A run that measures
/// no energy (`joules` nil: a rank that leaves the node to local rank 0) exports no energy,
/// power or CO2e series at all: a zero there would read as a measurement. FLOPs appear once
/// some are counted (a wrapped program reports none).
///
/// Counters only go up: each snapshot adds the difference from the previous figure, and a
/// figure lower than one already exported (a final CO2e recomputed from the final energy) leaves
/// the counter where it was.
public final class RunMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    private let state = Mutex(State())

    private struct State {
        /// The figure each counter series has reached, by name and labels.
        var counted: [String: Double] = [:]
        /// The `footprint_run_info` series of each run, replaced when its labels change.
        var info: [String: (labels: [(String, String)], gauge: Gauge)] = [:]
    }

    /// Metrics in `registry` (a new one by default).
    ///
    /// - Parameter registry: Where the series are registered; share one to expose other metrics too.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Brings every series of the snapshot's run up to date.
    ///
    /// - Parameter snapshot: The run's figures so far (snapshots of several runs may be mixed).
    public func record(_ snapshot: LiveRunSnapshot) {
        let run = Self.runLabels(snapshot)
        state.withLock { state in
            if snapshot.joules != nil {
                recordEnergy(snapshot, run: run, state: &state)
                if let grams = snapshot.gramsCO2e {
                    add(PrometheusName.co2eGrams, labels: run, to: grams, state: &state)
                }
            }
            if snapshot.flops > 0 {
                add(PrometheusName.flops, labels: run, to: Double(snapshot.flops), state: &state)
            }
            registry.makeGauge(descriptor: PrometheusName.epoch, labels: run).set(to: Double(snapshot.epochsFinished))
            recordInfo(snapshot, run: run, state: &state)
        }
    }

    /// The registry in the Prometheus text format, version 0.0.4.
    ///
    /// - Returns: UTF-8 text, `# HELP` and `# TYPE` before each family.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// `run`, `job_key`, `node` and `rank`: the labels every series of a run starts with.
    static func runLabels(_ snapshot: LiveRunSnapshot) -> [(String, String)] {
        [
            ("run", snapshot.uuid.isEmpty ? String(snapshot.runID) : snapshot.uuid),
            ("job_key", snapshot.job?.key ?? ""),
            ("node", snapshot.job?.node ?? snapshot.host),
            ("rank", snapshot.job?.rank.map(String.init) ?? ""),
        ]
    }

    private func recordEnergy(_ snapshot: LiveRunSnapshot, run: [(String, String)], state: inout State) {
        let included = snapshot.zoneJoules.filter(\.includedInTotal)
        if included.isEmpty, snapshot.zoneJoules.isEmpty, let joules = snapshot.joules {
            add(PrometheusName.energyJoules, labels: run + [("meter", "all"), ("zone", "all")], to: joules, state: &state)
        }
        for zone in included {
            add(
                PrometheusName.energyJoules, labels: run + [("meter", zone.meter), ("zone", zone.zone)],
                to: zone.joules, state: &state)
        }
        // Watts of the zones in the total, so a sum over zones is the run's power too.
        let counted = Set(included.map { $0.meter + "\u{1F}" + $0.zone })
        for reading in snapshot.zoneWatts where reading.watts.isFinite {
            guard snapshot.zoneJoules.isEmpty || counted.contains(reading.meter + "\u{1F}" + reading.zone) else { continue }
            registry.makeGauge(descriptor: PrometheusName.powerWatts, labels: run + [("meter", reading.meter), ("zone", reading.zone)]).set(
                to: reading.watts)
        }
    }

    /// Raises a counter to `value` by adding what is new since the last call.
    private func add(_ descriptor: MetricNameDescriptor, labels: [(String, String)], to value: Double, state: inout State) {
        guard value.isFinite else { return }
        let key = descriptor.name + "\u{1F}" + labels.map { $0.0 + "=" + $0.1 }.joined(separator: "\u{1F}")
        let counter = registry.makeCounter(descriptor: descriptor, labels: labels)
        let delta = value - state.counted[key, default: 0]
        guard delta > 0 else { return }
        counter.increment(by: delta)
        state.counted[key] = value
    }

    private func recordInfo(_ snapshot: LiveRunSnapshot, run: [(String, String)], state: inout State) {
        let labels =
            run + [
                ("name", snapshot.name), ("model", snapshot.modelName ?? ""), ("dataset", snapshot.dataset ?? ""),
                ("provenance", snapshot.provenance?.rawValue ?? ""),
            ]
        let runKey = run[0].1
        if let existing = state.info[runKey] {
            if existing.labels.elementsEqual(labels, by: { $0 == $1 }) { return }
            registry.unregisterGauge(existing.gauge)
        }
        let gauge = registry.makeGauge(descriptor: PrometheusName.runInfo, labels: labels)
        gauge.set(to: 1)
        state.info[runKey] = (labels, gauge)
    }
}
