import RunModel
import Foundation
import Statistics

extension ComparisonReport {
    /// One row per configuration: runs, size, FLOPs, time, GFLOP/s, energy and CO2e with their
    /// ranges, quality, and the Pareto mark.
    func pointsSection() -> String {
        // The startup column only when a wrapped program sent a train_begin: other tables stay as they were.
        let startup = hasStartup
        let headers =
            ["Configuration", "Runs", "Model", "Parameters", "FLOPs", "Time", "GFLOP/s", "Energy"] + (startup ? ["Startup"] : [])
            + ["CO2e", metric.map { Markdown.escape($0.name) } ?? "Quality", "Pareto"]
        let rows = points.map { point -> [String] in
            let figures: [String] = [
                Markdown.escape(point.label), point.runIDs.map { "\($0)" }.joined(separator: ", "),
                point.modelName.map(Markdown.code) ?? "—", point.parameters.map(UnitFormat.integer) ?? "—",
                point.flops.map { UnitFormat.flops(Double($0)) } ?? "—",
                point.wallSeconds.map { UnitFormat.seconds($0.median) } ?? "—",
                point.gflopsPerSecond.map { String(format: "%.3g", $0) } ?? "—",
                energyCell(point),
            ]
            let startupCells: [String] = startup ? [startupCell(point)] : []
            let judgement: [String] = [
                carbonCell(point),
                metric.flatMap { metric in point.quality.map(metric.format) } ?? "—",
                point.comparableJoules == nil ? "—" : paretoFront.contains(point.label) ? "★" : "",
            ]
            return figures + startupCells + judgement
        }
        let rightAligned: Set<Int> = startup ? [3, 4, 5, 6, 7, 8, 9, 10] : [3, 4, 5, 6, 7, 8, 9]
        var lines = ["## Configurations", "", Table(headers: headers, rows: rows, rightAligned: rightAligned).markdown()]
        let footnotes = RangeText.footnotes(for: rows.flatMap { $0 })
        if !footnotes.isEmpty { lines += [""] + footnotes.map { $0 + "  " } }
        lines.append("")
        var notes: [String] = []
        if let metric {
            notes.append(
                "★ marks the Pareto front of \(Markdown.escape(metric.name)) against energy, built from the medians: a configuration dominates "
                    + "another only with at least as good a \(Markdown.escape(metric.name)), an energy not distinguishably higher, and either a "
                    + "distinguishably lower energy or a strictly better \(Markdown.escape(metric.name)).")
            let candidates = points.filter { $0.comparableJoules != nil && $0.quality != nil }
            if candidates.count > 1, candidates.contains(where: { $0.joulesSamples.count < 2 }) {
                let singles = candidates.filter { $0.joulesSamples.count < 2 }.map { Markdown.escape($0.label) }
                notes.append(
                    "\(Self.list(singles)) \(singles.count == 1 ? "has" : "have") a single run, which gives no interval: it can neither dominate "
                        + "nor be dominated, since no energy difference can be claimed. Repeating each configuration (`--repeat 3`) would allow it."
                )
            }
        } else {
            notes.append("No Pareto front: \(Markdown.escape(qualityGap ?? "no shared quality metric")).")
        }
        let unresolved = points.filter { $0.hasEnergy && !$0.resolved && !$0.isUnresolvedByBridges }
        if !unresolved.isEmpty {
            notes.append(
                "\(Self.list(unresolved.map { Markdown.escape($0.label) })) \(unresolved.count == 1 ? "is" : "are") below resolution: "
                    + "under ten steps or update periods of the meter, the figure is noise, so it is listed but never ranked, divided or fitted."
            )
        }
        let bridged = points.filter { $0.hasEnergy && !$0.resolved && $0.isUnresolvedByBridges }
        if !bridged.isEmpty {
            notes.append(
                "\(Self.list(bridged.map { Markdown.escape($0.label) })) \(bridged.count == 1 ? "is" : "are") not resolved: "
                    + "more than 5 % of a run's energy is bridged across intervals a counter lost, so it is listed but never ranked, divided or fitted."
            )
        }
        let unmetered = points.filter { !$0.hasEnergy }
        if !unmetered.isEmpty {
            notes.append(
                "\(Self.list(unmetered.map { Markdown.escape($0.label) })) recorded no energy and \(unmetered.count == 1 ? "is" : "are") left out of the ratios, the front and the fit."
            )
        }
        notes.append(
            "GFLOP/s is FLOPs over wall time: where it is low, per-step overhead rather than arithmetic takes the time, and the energy.")
        if startup { notes.append(startupNote()) }
        lines.append(notes.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    /// The energy cell: median and range with its mark, `below resolution`, or `not recorded`.
    func energyCell(_ point: ComparisonPoint) -> String {
        let kind = point.provenance.map { ", \($0)" } ?? ""
        guard let joules = point.joules else { return point.hasEnergy ? "below resolution (0 J)" + kind : "not recorded" }
        guard point.resolved else { return "\(point.unresolvedText) (\(UnitFormat.joules(joules.median)))" + kind }
        let band = point.runs.first { $0.energy != nil }?.trainingEnergyBand ?? (nil, nil)
        return RangeText.text(joules, band: band, format: UnitFormat.joules) + kind
    }

    /// The CO2e cell, ranged like the energy cell.
    func carbonCell(_ point: ComparisonPoint) -> String {
        guard point.resolved else { return point.runs.contains { $0.carbon != nil } ? point.unresolvedText : "—" }
        guard let grams = point.gramsCO2e else { return "—" }
        let band = point.runs.first { $0.carbon != nil }?.trainingCarbonBand ?? (nil, nil)
        return RangeText.text(grams, band: band, format: UnitFormat.gramsCO2e)
    }

    /// Every resolved pair's energy ratio with its interval and reading, or nil with none.
    func ratiosSection() -> String? {
        guard !ratios.isEmpty else { return nil }
        let rows = ratios.map { ratio -> [String] in
            let interval = ratio.interval
            let range = interval.low.flatMap { low in interval.high.map { RangeText.times(low: low, high: $0) } } ?? "—"
            let reading =
                !interval.hasInterval
                ? "no interval: no difference can be claimed"
                : interval.distinguishable ? "distinguishable" : "indistinguishable (contains 1)"
            let flops = ratio.flopRatio.map { Self.times($0) + (ratio.isOverheadBound ? " (overhead)" : "") } ?? "—"
            return [
                Markdown.escape(ratio.of), Markdown.escape(ratio.to), Self.times(interval.median), range, ratio.runsPhrase, reading, flops,
            ]
        }
        var lines = [
            "## Energy ratios", "",
            Table(
                headers: ["Of", "To", "Energy ratio", "95% interval", "Runs", "Reading", "FLOP ratio"], rows: rows, rightAligned: [2, 3, 6]
            ).markdown(),
            "",
        ]
        var notes = [
            "Each ratio is the larger configuration's median \(energyNoun) over the smaller's; its interval is Welch's on the difference of mean logarithms. An interval that contains 1 means the two are indistinguishable in energy."
        ]
        if points.filter({ $0.comparableJoules != nil }).count > Self.allPairsLimit {
            notes.append("With more than \(Self.allPairsLimit) configurations, each is set against the next smaller one only.")
        }
        if ratios.contains(where: { !$0.interval.hasInterval }) {
            notes.append(
                "A ratio with a single run on either side has no interval; repeat with `--repeat 3` to tell a difference from noise.")
        }
        if ratios.contains(where: \.isOverheadBound) {
            notes.append(
                "(overhead) marks FLOP ratios at least \(Self.times(EnergyRatio.overheadFactor)) the energy ratio: there the energy follows per-step cost "
                    + "(data handling, dispatch, memory traffic), not FLOPs, as the GFLOP/s column shows.")
        }
        lines.append(notes.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    func scalingSection(chart: ReportChart) -> String {
        var text = "## Scaling of energy with parameters\n\n"
        if let scaling {
            text +=
                "Fitted by least squares on log–log over \(scaling.pointCount) configurations' median \(hasStartup ? "training energies (startup excluded)" : "energies"): "
                + "\(energyNoun) ∝ parameters^**\(UnitFormat.fixed(scaling.exponent, decimals: 2))**"
            if let low = scaling.exponentLow, let high = scaling.exponentHigh {
                text += " (95% interval \(UnitFormat.fixed(low, decimals: 2)) to \(UnitFormat.fixed(high, decimals: 2)))"
            }
            text += ", R² = \(UnitFormat.fixed(scaling.rSquared, decimals: 3))."
            if scaling.pointCount == Self.minimumScalingSizes {
                text += " With three points the interval is wide (t with one degree of freedom is 12.7): it is shown, not hidden."
            }
            if let low = scaling.exponentLow, let high = scaling.exponentHigh, low <= 0, high >= 0 {
                text += " The interval contains 0: these runs do not show energy growing with parameters."
            }
            if scaling.exponent < 0.5 {
                text +=
                    " Small models are overhead-bound — time per step barely grows with width — so an exponent well below 1 has real reasons: per-step cost, not arithmetic, sets their energy."
            }
        } else {
            let sizes = Set(points.filter { $0.comparableJoules != nil }.compactMap(\.parameters)).count
            text +=
                "Scaling exponent: not enough configurations (a fit with an interval needs resolved energies at \(Self.minimumScalingSizes) or more distinct parameter counts; this comparison has \(sizes))."
        }
        return text + "\n\n" + chart.markdownImage
    }

    func qualityChartNote() -> String {
        guard paretoFront != carbonParetoFront() else { return "" }
        return
            "\n\nThe runs used different grid intensities or PUE, so the front against CO2e (drawn here) differs from the front against energy (marked in the table)."
    }

    func provenanceSection() -> String {
        var groups: [String: [Int64]] = [:]
        var order: [String] = []
        for run in runs {
            let key = run.energy.map { ProvenanceText.describe($0) } ?? "no energy recorded"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run.id)
        }
        var carbon: [String: [Int64]] = [:]
        var carbonOrder: [String] = []
        for run in runs {
            guard let figures = run.carbon else { continue }
            let key = ProvenanceText.grid(figures)
            if carbon[key] == nil { carbonOrder.append(key) }
            carbon[key, default: []].append(run.id)
        }
        func listing(_ ids: [Int64]) -> String { (ids.count == 1 ? "run " : "runs ") + ids.map { "\($0)" }.joined(separator: ", ") }
        var lines = ["## Provenance", "", "Energy:", ""]
        lines.append(Markdown.bullets(order.map { "\(Markdown.escape($0)): \(listing(groups[$0] ?? []))" }))
        let unresolved = runs.filter { $0.energy?.resolved == false && $0.energy?.isUnresolvedByBridges == false }
        if !unresolved.isEmpty {
            lines += ["", "Below resolution: \(listing(unresolved.map(\.id))) (\(Markdown.escape(Self.resolutionSources(unresolved))))."]
        }
        let bridged = runs.filter { $0.energy?.isUnresolvedByBridges == true }
        if !bridged.isEmpty {
            lines += [
                "", "Not resolved, more than 5 % of the energy bridged across intervals a counter lost: \(listing(bridged.map(\.id))).",
            ]
        }
        if !carbonOrder.isEmpty {
            lines += ["", "Carbon intensity (yearly averages) and PUE:", ""]
            lines.append(Markdown.bullets(carbonOrder.map { "\(Markdown.escape($0)): \(listing(carbon[$0] ?? []))" }))
        }
        lines += ["", "Statistics: " + Markdown.escape(RepeatStatistics.method)]
        return lines.joined(separator: "\n")
    }

    /// The distinct resolutions the runs were judged against, joined.
    private static func resolutionSources(_ runs: [RunDocument]) -> String {
        var seen: Set<String> = []
        return runs.compactMap { $0.energy?.resolution.source }.filter { seen.insert($0).inserted }.joined(separator: "; ")
    }

    /// `A`, `A and B`, `A, B and C`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
