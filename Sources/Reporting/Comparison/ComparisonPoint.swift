import RunModel
import Foundation
import Statistics

/// One configuration in a comparison — same run kind, model, dataset and hyper-parameters —
/// with its runs summarised: repeats from `--repeat N` and separate commands alike.
///
/// Energy, time and CO2e are log-normal medians with 95% intervals over the runs
/// (``RepeatStatistics/logNormalInterval(_:)``); a single run has a median and no interval.
/// Energy and CO2e are the training's: a wrapped program's startup (before its `train_begin`)
/// is left out of them and summarised on its own in ``startupJoules``.
public struct ComparisonPoint: Sendable {
    /// Short name (`H = 100`), unique within the comparison.
    public var label: String
    /// The runs, by id.
    public var runs: [RunDocument]
    /// The model's name (`mlp:1-100-1`), when recorded.
    public var modelName: String?
    /// Trainable parameters, when recorded.
    public var parameters: Int64?
    /// Median FLOPs of the runs (repeats count the same FLOPs).
    public var flops: Int64?
    /// Wall time over the runs.
    public var wallSeconds: CentralInterval?
    /// Median over the runs of FLOPs per wall second, in GFLOP/s: low where per-step overhead,
    /// not arithmetic, takes the time.
    public var gflopsPerSecond: Double?
    /// Training energy over the runs that recorded a positive figure (startup excluded; the
    /// whole run's for a run without one); nil when none did.
    public var joules: CentralInterval?
    /// The wrapped programs' startup energy over the runs that sent a `train_begin`; nil when
    /// none did.
    public var startupJoules: CentralInterval?
    /// True when any run recorded a startup energy, even 0 J.
    public var hasStartup: Bool { runs.contains { $0.energy?.startupJoules != nil } }
    /// Training CO2e over the runs that recorded it.
    public var gramsCO2e: CentralInterval?
    /// True when every run's (training) energy is above its meters' resolution and at most 5 %
    /// bridged across intervals a counter lost. A single unresolved run makes the point unresolved: one
    /// noise figure among three would widen or shift the interval without saying so, and
    /// comparisons never rank or divide noise.
    public var resolved: Bool
    /// The quality metric's central value over the runs, when the comparison has a metric.
    public var quality: Double?

    /// True when a run is unresolved because more than 5 % of its energy is bridged, rather
    /// than because it is below resolution.
    public var isUnresolvedByBridges: Bool { runs.contains { $0.energy?.isUnresolvedByBridges == true } }

    /// `below resolution`, or `not resolved (bridged)` when a counter lost too much of a run.
    var unresolvedText: String { isUnresolvedByBridges ? "not resolved (bridged)" : "below resolution" }

    /// True when any run recorded an energy, even 0 J (a counter that did not count).
    public var hasEnergy: Bool { runs.contains { $0.energy != nil } }

    /// Ids of the runs.
    public var runIDs: [Int64] { runs.map(\.id) }

    /// The runs' positive training energies, joules: the samples ratios are computed from.
    public var joulesSamples: [Double] { runs.compactMap(\.trainingEnergyJoules).filter { $0 > 0 && $0.isFinite } }

    /// The runs' positive training CO2e figures, grams.
    public var gramsSamples: [Double] { runs.compactMap(\.trainingGramsCO2e).filter { $0 > 0 && $0.isFinite } }

    /// The energy if it may be compared: recorded and resolved.
    public var comparableJoules: CentralInterval? { resolved ? joules : nil }

    /// `measured`, `estimated`, `mixed`, or `measured and estimated` when its runs differ; nil
    /// without energy.
    public var provenance: String? {
        let kinds = Array(Set(runs.compactMap { $0.energy?.provenance.rawValue })).sorted()
        guard !kinds.isEmpty else { return nil }
        return kinds.count == 1 ? kinds[0] : kinds.joined(separator: " and ")
    }

    /// Summarises runs of one configuration.
    ///
    /// - Parameters:
    ///   - label: The point's label.
    ///   - runs: Its runs (any order; kept by id).
    ///   - metric: The comparison's quality metric, if any.
    init(label: String, runs: [RunDocument], metric: QualityMetric?) {
        self.label = label
        self.runs = runs.sorted { $0.id < $1.id }
        let first = self.runs.first
        modelName = first?.model.name
        parameters = first?.model.parameters
        flops = Self.median(runs.compactMap { $0.flops?.total }.map(Double.init)).map { Int64($0.rounded()) }
        wallSeconds = RepeatStatistics.logNormalInterval(runs.compactMap { $0.seconds["wall"] }.filter { $0 > 0 })
        // Over the training's time: a program's imports do no arithmetic.
        gflopsPerSecond = Self.median(
            runs.compactMap { run -> Double? in
                guard let flops = run.flops?.total, let seconds = run.trainingSeconds, seconds > 0 else { return nil }
                return Double(flops) / seconds / 1e9
            })
        let metered = runs.filter { $0.energy != nil }
        let energies = metered.compactMap(\.trainingEnergyJoules).filter { $0 > 0 && $0.isFinite }
        joules = RepeatStatistics.logNormalInterval(energies)
        startupJoules = RepeatStatistics.logNormalInterval(
            runs.compactMap { $0.energy?.startupJoules }.filter { $0 > 0 && $0.isFinite })
        gramsCO2e = RepeatStatistics.logNormalInterval(runs.compactMap(\.trainingGramsCO2e).filter { $0 > 0 && $0.isFinite })
        resolved = !energies.isEmpty && energies.count == metered.count && metered.allSatisfy(\.isComparedEnergyResolved)
        quality = metric.flatMap { metric in Self.central(runs.compactMap { metric.value(of: $0) }, metric: metric) }
    }

    /// The central value of a metric: the log-normal median for a positive error (MSE is
    /// right-skewed like energy), the mean for accuracy and R², which may sit near a bound or
    /// below zero.
    static func central(_ values: [Double], metric: QualityMetric) -> Double? {
        if metric.kind == .mse, let interval = RepeatStatistics.logNormalInterval(values) {
            return interval.median
        }
        return RepeatStatistics.meanInterval(values)?.median
    }

    static func median(_ values: [Double]) -> Double? { RepeatStatistics.median(values) }
}
