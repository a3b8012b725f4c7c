import Footprint
import Foundation

extension ComparisonReport {
    /// A plain-language conclusion: the largest model against the best smaller one, e.g.
    /// "H = 1000 (`mlp:1-1000-1`) used 38× the energy of H = 100 (`mlp:1-100-1`) for a 4% lower
    /// validation MSE.", followed by where the energies come from.
    public var conclusion: String {
        guard let metric else {
            var text = "Quality is not compared: \(Markdown.escape(qualityGap ?? "no shared metric")); "
                + "compare runs of one dataset and task (select them with --model or --tag, or name their ids)."
            let sized = runs.filter { ($0.energy?.joules ?? 0) > 0 && $0.model.parameters != nil }
            if let largest = sized.last, let smallest = sized.first, largest.model.parameters != smallest.model.parameters {
                let ratio = (largest.energy?.joules ?? 0) / (smallest.energy?.joules ?? 1)
                text += " On energy alone, \(describe(largest)) used \(Self.times(ratio)) the energy of \(describe(smallest)). "
                    + provenanceSentence(largest, smallest)
            }
            return text
        }
        let candidates = runs.filter { ($0.energy?.joules ?? 0) > 0 && $0.model.parameters != nil && metric.value(of: $0) != nil }
        guard let largestSize = candidates.compactMap(\.model.parameters).max() else {
            return "No run has both energy and \(metric.name) recorded, so nothing can be concluded."
        }
        let largest = best(candidates.filter { $0.model.parameters == largestSize }, metric: metric)
        let smaller = candidates.filter { ($0.model.parameters ?? 0) < largestSize }
        guard let largest, let smaller = best(smaller, metric: metric) else {
            return "All runs with energy have the same number of parameters (\(UnitFormat.integer(largestSize))), so there is no smaller model to set the largest against."
        }
        let ratio = (largest.energy?.joules ?? 0) / (smaller.energy?.joules ?? 1)
        var sentence = "\(describe(largest)) used \(Self.times(ratio)) the energy of \(describe(smaller))"
        sentence += " for " + qualityChange(from: metric.value(of: smaller) ?? 0, to: metric.value(of: largest) ?? 0, metric: metric) + "."
        if candidates.count > 2 {
            sentence += " \(Markdown.escape(label(smaller))) has the best \(Markdown.escape(metric.name)) of the smaller models."
        }
        return sentence + " " + provenanceSentence(largest, smaller)
    }

    /// The best run by the metric; ties go to the lower energy, then the lower id.
    private func best(_ candidates: [RunDocument], metric: QualityMetric) -> RunDocument? {
        candidates.min { a, b in
            let qa = metric.value(of: a) ?? 0
            let qb = metric.value(of: b) ?? 0
            if qa != qb { return metric.higherIsBetter ? qa > qb : qa < qb }
            let ea = a.energy?.joules ?? 0
            let eb = b.energy?.joules ?? 0
            return ea != eb ? ea < eb : a.id < b.id
        }
    }

    private func describe(_ run: RunDocument) -> String {
        let name = label(run)
        guard let model = run.model.name, model != name else { return Markdown.escape(name) }
        return "\(Markdown.escape(name)) (\(Markdown.code(model)))"
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
            return "a \(name) \(difference > 0 ? "higher" : "lower (worse)") by \(String(format: "%.4f", abs(difference)))"
        }
        guard smaller != 0 else { return larger == 0 ? "the same \(name)" : "a higher \(name) (worse)" }
        let change = (larger - smaller) / abs(smaller) * 100
        if abs(change) < 0.05 { return "the same \(name)" }
        // Past a tenfold change a ratio reads better than thousands of percent.
        if change >= 900 { return "a \(Self.times(larger / smaller)) higher \(name) (worse)" }
        return "a \(Self.figure(abs(change)))% \(change < 0 ? "lower" : "higher") \(name)" + (change < 0 ? "" : " (worse)")
    }

    private func provenanceSentence(_ a: RunDocument, _ b: RunDocument) -> String {
        guard let first = a.energy, let second = b.energy else { return "" }
        switch (first.provenance, second.provenance) {
        case ("measured", "measured"):
            let zones = Set([ProvenanceText.meterZones(first), ProvenanceText.meterZones(second)]).filter { !$0.isEmpty }.sorted()
            return "Both energies were measured" + (zones.isEmpty ? "." : " (\(Markdown.escape(zones.joined(separator: "; ")))).")
        case ("estimated", "estimated"):
            return "Both energies are estimated, not measured (the model is under Provenance), so the ratio is the estimate model's, not a meter's reading."
        default:
            return "One energy was measured and the other estimated, so the ratio mixes methods; read it with care."
        }
    }

    /// `38×`, `2.4×`, `0.52×`, `1.4e+33×`.
    static func times(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "an unknown multiple of" }
        let text: String
        if ratio >= 1000 {
            text = String(format: "%.2g", ratio)
        } else if ratio >= 10 {
            text = String(format: "%.0f", ratio)
        } else if ratio >= 1 {
            text = String(format: "%.1f", ratio)
        } else {
            text = String(format: "%.2g", ratio)
        }
        return text + "×"
    }

    /// Two significant digits for small figures, whole numbers from 10 on.
    static func figure(_ value: Double) -> String {
        value >= 10 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }
}
