import RunModel
import Foundation
import Statistics

extension ComparisonReport {
    /// A plain-language conclusion that claims only what the runs support: the largest
    /// configuration against the best smaller one, with the energy ratio's 95% interval, e.g.
    /// "H = 1000 (`mlp:1-1000-1`) used 38× (31–46×, 95%, 3 runs each) the energy of H = 100
    /// (`mlp:1-100-1`) for a 4.0% lower validation MSE."; "indistinguishable in energy" when the
    /// interval contains 1; no claim without an interval. Then overhead, unresolved points and
    /// where the energies come from.
    public var conclusion: String {
        var sentences: [String] = []
        if metric == nil {
            sentences.append(
                "Quality is not compared: \(Markdown.escape(qualityGap ?? "no shared metric")); "
                    + "compare runs of one dataset and task (select them with --model or --tag, or name their ids).")
        }
        let comparable = points.filter { $0.comparableJoules != nil }
        if let pair = mainPair(comparable) {
            sentences.append(contentsOf: pairSentences(pair.larger, pair.smaller, candidates: pair.candidates))
        } else {
            sentences.append(noPairSentence(comparable))
        }
        let unresolved = points.filter { $0.hasEnergy && !$0.resolved && !$0.isUnresolvedByBridges }
        if !unresolved.isEmpty, !comparable.isEmpty {
            sentences.append(
                "\(Self.list(unresolved.map { Markdown.escape($0.label) })) \(unresolved.count == 1 ? "is" : "are") below the meters' resolution "
                    + "and not compared; run longer (more epochs or data) to measure \(unresolved.count == 1 ? "it" : "them").")
        }
        let bridged = points.filter { $0.hasEnergy && !$0.resolved && $0.isUnresolvedByBridges }
        if !bridged.isEmpty, !comparable.isEmpty {
            sentences.append(
                "\(Self.list(bridged.map { Markdown.escape($0.label) })) \(bridged.count == 1 ? "is" : "are") not resolved (more than 5 % of the energy "
                    + "bridged across intervals a counter lost) and not compared; run \(bridged.count == 1 ? "it" : "them") again.")
        }
        if hasStartup { sentences.append(energyBasisSentence()) }
        return sentences.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The largest configuration (by parameters, then FLOPs) and the one set against it: the
    /// best smaller one by quality, or the smallest without a metric.
    private func mainPair(_ comparable: [ComparisonPoint]) -> (larger: ComparisonPoint, smaller: ComparisonPoint, candidates: Int)? {
        if let metric {
            let candidates = comparable.filter { $0.quality != nil && $0.parameters != nil }
            guard let largestSize = candidates.compactMap(\.parameters).max(),
                let larger = best(candidates.filter { $0.parameters == largestSize }, metric: metric),
                let smaller = best(candidates.filter { ($0.parameters ?? 0) < largestSize }, metric: metric)
            else { return nil }
            return (larger, smaller, candidates.count)
        }
        guard let larger = comparable.last, let smaller = comparable.first, comparable.count > 1 else { return nil }
        return (larger, smaller, comparable.count)
    }

    /// Why there is no pair to set against each other.
    private func noPairSentence(_ comparable: [ComparisonPoint]) -> String {
        if comparable.isEmpty {
            return points.contains(where: \.hasEnergy)
                ? "No configuration's energy is above its meters' resolution (ten steps or update periods of the meter), so no energy is compared; "
                    + "run longer (more epochs or data) to measure it."
                : "No run recorded energy, so no energy can be compared."
        }
        if comparable.count == 1 {
            let only = comparable[0]
            let runs = only.runs.count == 1 ? "its one run" : "its \(only.runs.count) runs"
            return
                "Only \(describe(only)) has a resolved energy (\(energyCell(only).replacingOccurrences(of: RangeText.repeatMark, with: "").replacingOccurrences(of: RangeText.bandMark, with: "")) over \(runs)), so there is nothing to set it against."
        }
        if let metric {
            let withQuality = comparable.filter { $0.quality != nil && $0.parameters != nil }
            if withQuality.isEmpty {
                return "No configuration has both a resolved energy and \(metric.name) recorded, so nothing can be concluded."
            }
            let size = withQuality.compactMap(\.parameters).max() ?? 0
            return
                "All configurations with resolved energy have the same number of parameters (\(UnitFormat.integer(size))), so there is no smaller model to set the largest against."
        }
        return ""
    }

    /// The ratio sentence with its quality clause, then overhead, the best-of note and provenance.
    private func pairSentences(_ larger: ComparisonPoint, _ smaller: ComparisonPoint, candidates: Int) -> [String] {
        guard let ratio = ratio(between: larger, and: smaller) else { return [] }
        let interval = ratio.interval
        let quality = metric.flatMap { metric in
            larger.quality.flatMap { top in smaller.quality.map { qualityChange(from: $0, to: top, metric: metric) } }
        }
        var sentences: [String] = []
        let energyAlone = metric == nil ? "On energy alone, " : ""
        if let low = interval.low, let high = interval.high {
            let range = "\(RangeText.times(low: low, high: high)), 95%, \(ratio.runsPhrase)"
            if interval.distinguishable {
                sentences.append(
                    "\(energyAlone)\(describe(larger)) used \(Self.times(interval.median)) (\(range)) the \(energyNoun) of \(describe(smaller))"
                        + (quality.map { " for \($0)." } ?? "."))
            } else {
                sentences.append(
                    "\(energyAlone)\(describe(larger)) and \(describe(smaller)) are indistinguishable in \(energyNoun): \(Self.times(interval.median)) (\(range)), an interval that contains 1"
                        + (quality.map { "; \(Markdown.escape(larger.label)) has \($0)." } ?? "."))
            }
        } else {
            sentences.append(
                "\(energyAlone)\(describe(larger)) used \(Self.times(interval.median)) the \(energyNoun) of \(describe(smaller))"
                    + (quality.map { " for \($0)" } ?? "")
                    + ", but with \(ratio.runsPhrase) there is no interval, so no difference can be claimed; repeat with --repeat 3.")
        }
        if ratio.isOverheadBound, let flopRatio = ratio.flopRatio {
            sentences.append(
                "Its FLOPs are \(Self.times(flopRatio)) but its energy only \(Self.times(interval.median)): the difference is overhead (per-step cost), not FLOPs"
                    + gflopsClause(larger, smaller) + ".")
        }
        if metric != nil, candidates > 2 {
            sentences.append(
                "\(Markdown.escape(smaller.label)) has the best \(Markdown.escape(metric?.name ?? "quality")) of the smaller models.")
        }
        sentences.append(provenanceSentence(larger, smaller))
        return sentences
    }

    /// ` (0.02 GFLOP/s for H = 10 against 1.9 for H = 1000)`.
    private func gflopsClause(_ larger: ComparisonPoint, _ smaller: ComparisonPoint) -> String {
        guard let big = larger.gflopsPerSecond, let small = smaller.gflopsPerSecond else { return "" }
        return String(
            format: " (%.3g GFLOP/s for %@ against %.3g for %@)", small, Markdown.escape(smaller.label), big, Markdown.escape(larger.label))
    }

    /// The best point by the metric; ties go to the lower energy, then the lower first id.
    private func best(_ candidates: [ComparisonPoint], metric: QualityMetric) -> ComparisonPoint? {
        candidates.min { a, b in
            let qa = a.quality ?? 0
            let qb = b.quality ?? 0
            if qa != qb { return metric.higherIsBetter ? qa > qb : qa < qb }
            let ea = a.joules?.median ?? 0
            let eb = b.joules?.median ?? 0
            return ea != eb ? ea < eb : (a.runIDs.first ?? 0) < (b.runIDs.first ?? 0)
        }
    }

    private func describe(_ point: ComparisonPoint) -> String {
        guard let model = point.modelName, model != point.label else { return Markdown.escape(point.label) }
        return "\(Markdown.escape(point.label)) (\(Markdown.code(model)))"
    }

    /// "a 4% lower validation MSE", "2.1 percentage points higher accuracy", "the same R²".
    func qualityChange(from smaller: Double, to larger: Double, metric: QualityMetric) -> String {
        let name = metric.name
        if metric.kind == .accuracy {
            let points = (larger - smaller) * 100
            if abs(points) < 0.05 { return "the same \(name)" }
            return "\(Self.figure(abs(points))) percentage point\(abs(points) == 1 ? "" : "s") \(points > 0 ? "higher" : "lower") \(name)"
                + (points > 0 ? "" : " (worse)")
        }
        if metric.kind == .r2 {
            let difference = larger - smaller
            if abs(difference) < 0.00005 { return "the same \(name)" }
            return "a \(name) \(difference > 0 ? "higher" : "lower (worse)") by \(UnitFormat.fixed(abs(difference), decimals: 4))"
        }
        guard smaller != 0 else { return larger == 0 ? "the same \(name)" : "a higher \(name) (worse)" }
        let change = (larger - smaller) / abs(smaller) * 100
        if abs(change) < 0.05 { return "the same \(name)" }
        // Past a tenfold change a ratio reads better than thousands of percent.
        if change >= 900 { return "a \(Self.times(larger / smaller)) higher \(name) (worse)" }
        return "a \(Self.figure(abs(change)))% \(change < 0 ? "lower" : "higher") \(name)" + (change < 0 ? "" : " (worse)")
    }

    private func provenanceSentence(_ a: ComparisonPoint, _ b: ComparisonPoint) -> String {
        let energies = (a.runs + b.runs).compactMap(\.energy)
        let kinds = Set(energies.map(\.provenance))
        if kinds == [.measured] {
            let zones = Set(energies.map { ProvenanceText.meterZones($0) }).filter { !$0.isEmpty }.sorted()
            return "Both energies were measured" + (zones.isEmpty ? "." : " (\(Markdown.escape(zones.joined(separator: "; ")))).")
        }
        if kinds == [.estimated] {
            return
                "Both energies are estimated, not measured (the model is under Provenance), so the ratio is the estimate model's, not a meter's reading."
        }
        if kinds.contains(.mixed) {
            return
                "Some runs are partly estimated (a meter was distrusted mid-run; their notes say when), so the ratio mixes methods; read it with care."
        }
        return "One energy was measured and the other estimated, so the ratio mixes methods; read it with care."
    }

    /// `38×`, `2.4×`, `0.52×`, `1.4e+33×`.
    static func times(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "an unknown multiple of" }
        // Thresholds sit where rounding carries into the next format, so 9.97 reads `10×`, not `10.0×`.
        let text: String
        if ratio >= 999.5 {
            text = String(format: "%.2g", ratio)
        } else if ratio >= 9.95 {
            text = String(format: "%.0f", ratio)
        } else if ratio >= 0.995 {
            text = String(format: "%.1f", ratio)
        } else {
            text = String(format: "%.2g", ratio)
        }
        return text + "×"
    }

    /// Two significant digits for small figures, whole numbers from 10 on, scientific from a
    /// million on (an accuracy a program reported as 1e300 never prints 300 digits).
    static func figure(_ value: Double) -> String {
        UnitFormat.fixed(value, decimals: value >= 10 ? 0 : 1)
    }
}
