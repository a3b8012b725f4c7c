import Carbon
import RunModel
import Foundation
import Vocabulary

extension RunReport {
    /// Model, dataset, quality, time, FLOPs, energy with provenance, CO2e with range, equivalents.
    func summarySection() -> String {
        let run = document
        var rows: [[String]] = []
        var model = run.model.name.map(Markdown.code) ?? "not recorded"
        if let parameters = run.model.parameters { model += ", \(UnitFormat.integer(parameters)) parameters" }
        if let perSample = run.model.flopsPerSample { model += ", \(UnitFormat.integer(perSample)) training FLOPs per sample" }
        if let description = run.model.description { model += " (\(Markdown.escape(description)))" }
        rows.append(["Model", model])
        if let dataset = run.dataset {
            rows.append(["Dataset", Markdown.escape(dataset) + (run.task.map { " (\(Markdown.escape($0)))" } ?? "")])
        }
        let quality = qualityText()
        rows.append(["Quality", quality.isEmpty ? "not recorded" : quality])
        if let wall = run.seconds["wall"] {
            rows.append(["Wall time", UnitFormat.seconds(wall) + (run.seconds["cpu"].map { " (CPU \(UnitFormat.seconds($0)))" } ?? "")])
        }
        if let flops = run.flops {
            let parts = [
                ("forward", flops.forward), ("backward", flops.backward), ("optimizer", flops.optimizer), ("evaluation", flops.evaluation),
            ]
            .map { "\($0.0) \(UnitFormat.flops(Double($0.1)))" }
            rows.append(["FLOPs", "\(UnitFormat.flops(Double(flops.total))) (\(parts.joined(separator: ", ")))"])
        }
        if let energy = run.energy {
            var text =
                energy.resolved
                ? RangeText.text(energy.joules, low: energy.low, high: energy.high, format: UnitFormat.joules, prefix: "range ") + ", "
                : Markdown.escape(energy.bridgedShortfall.map(Self.bridgedText(energy)) ?? ProvenanceText.belowResolution(energy)) + "; "
            text += Markdown.escape(ProvenanceText.describe(energy, modelLimit: 60))
            if ProvenanceText.involvesEstimate(energy), (energy.estimateModel?.count ?? 0) > 60 {
                text += " (model in [Hardware and meters](#hardware-and-meters))"
            }
            if let attributed = energy.attributedJoules {
                text += "; \(UnitFormat.joules(attributed)) attributed to this run by CPU time"
            }
            if let idle = energy.idleWatts, let net = energy.netJoules {
                text += "; \(UnitFormat.joules(net)) above idle (\(UnitFormat.watts(idle)) idle)"
            }
            rows.append(["Energy", text])
        } else {
            rows.append(["Energy", "not recorded"])
        }
        if let startup = startupText() { rows.append(["Startup", startup]) }
        if let carbon = run.carbon { rows.append(["CO2e", carbonText(carbon)]) }
        var lines = ["## Summary", "", Table(headers: ["Figure", "Value"], rows: rows).markdown()]
        // Equivalents of a noise figure would dress it up as a result.
        if let carbon = run.carbon, run.energy?.resolved != false {
            let sentences = CarbonEquivalents.sentences(gramsCO2e: carbon.gramsCO2e)
            if !sentences.isEmpty {
                lines += [
                    "", "Its \(UnitFormat.gramsCO2e(carbon.gramsCO2e)) is about:", "", Markdown.bullets(sentences.map(Markdown.escape)),
                ]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `validation MSE 0.0123, R² 0.9712` — every final metric, the leading one first.
    func qualityText() -> String {
        let metrics = document.metrics
        var parts: [String] = []
        for kind in MetricName.quality {
            let metric = QualityMetric(kind: kind, split: metrics.split)
            if let value = metric.value(of: document) { parts.append("\(metric.name) \(metric.format(value))") }
        }
        if let loss = metrics.validationLoss { parts.append("validation loss \(UnitFormat.number(loss))") }
        if let loss = metrics.trainLoss { parts.append("training loss \(UnitFormat.number(loss))") }
        return parts.joined(separator: ", ")
    }

    /// `not resolved: 23.0% of it bridged …; the true energy lies in 80.0 J – 130 J`.
    private static func bridgedText(_ energy: RunDocument.Energy) -> (String) -> String {
        { shortfall in
            guard let low = energy.low, let high = energy.high else { return shortfall }
            return
                "\(UnitFormat.joules(energy.joules)) \(shortfall); the true energy lies in \(UnitFormat.joules(low)) – \(UnitFormat.joules(high))"
        }
    }

    private func carbonText(_ carbon: RunDocument.CarbonFigures) -> String {
        var text = RangeText.text(carbon.gramsCO2e, low: carbon.low, high: carbon.high, format: UnitFormat.gramsCO2e, prefix: "range ")
        text += " at " + Markdown.escape(ProvenanceText.grid(carbon))
        if let energy = document.energy, !energy.resolved {
            text +=
                energy.isUnresolvedByBridges
                ? "; from an energy not resolved, so as uncertain" : "; from an energy below resolution, so noise as well"
        }
        if let embodied = carbon.embodiedGrams, embodied > 0 {
            text += "; of which \(UnitFormat.gramsCO2e(embodied)) embodied (hardware manufacture, amortised)"
        }
        return text
    }

    /// A wrapped program's startup (before its `train_begin`): its time and energy, and the
    /// training's energy without it; nil for a run without one.
    func startupText() -> String? {
        guard let seconds = document.startupSeconds else { return nil }
        var text = "\(UnitFormat.seconds(seconds)) before the program's `train_begin`"
        if let joules = document.energy?.startupJoules { text += ", \(UnitFormat.joules(joules))" }
        if let training = document.energy?.trainingJoules {
            text += "; the training itself \(UnitFormat.joules(training)) (no epoch is charged the startup)"
        }
        return text
    }

    /// Host, OS, CPU, memory, the meters with the joules of each zone, and the meters' notes.
    func hardwareSection() -> String {
        let run = document
        var rows: [[String]] = [["Host", Markdown.code(run.host)]]
        if let hardware {
            if let os = hardware.operatingSystem {
                rows.append(["Operating system", Markdown.escape(os) + (hardware.kernel.map { " (\(Markdown.escape($0)))" } ?? "")])
            }
            if let cpu = hardware.cpuModel {
                rows.append(["CPU", Markdown.escape(cpu) + (hardware.cpuCount.map { ", \($0) logical CPUs" } ?? "")])
            }
            if let bytes = hardware.memoryBytes { rows.append(["Memory", String(format: "%.1f GiB", Double(bytes) / 1_073_741_824)]) }
        }
        if let kernel = run.kernel { rows.append(["Compute kernel", Markdown.code(kernel)]) }
        var lines = ["## Hardware and meters", "", Table(headers: ["Item", "Value"], rows: rows).markdown()]
        guard let energy = run.energy else {
            lines += ["", "No energy was recorded for this run."]
            return lines.joined(separator: "\n")
        }
        if !energy.meters.isEmpty {
            let total = energy.meters.filter(\.includedInTotal).reduce(0) { $0 + $1.joules }
            // A column for bridges only when a counter lost an interval: other reports stay as they were.
            let bridged = energy.meters.contains { ($0.bridgedSeconds ?? 0) > 0 }
            let meterRows = energy.meters.map { meter -> [String] in
                let share = meter.includedInTotal && total > 0 ? UnitFormat.percent(meter.joules / total) : "—"
                var row = [
                    Markdown.escape(meter.name), Markdown.escape(meter.zone), UnitFormat.joules(meter.joules),
                    meter.includedInTotal ? "yes" : "no (counted in another zone)", share,
                ]
                if bridged {
                    row.append(
                        meter.bridgedSeconds.map { "\(UnitFormat.seconds($0)), \(UnitFormat.joules(meter.bridgedJoules ?? 0))" } ?? "—")
                }
                return row
            }
            let headers = ["Meter", "Zone", "Energy", "In total", "Share"] + (bridged ? ["Bridged"] : [])
            lines += ["", Table(headers: headers, rows: meterRows, rightAligned: [2, 4]).markdown()]
        }
        if energy.provenance == .estimated {
            lines += [
                "",
                "**Energy is estimated, not measured:** " + Markdown.escape(energy.estimateModel ?? "the estimate's model was not recorded")
                    + ".",
            ]
        } else if energy.provenance == .mixed {
            lines += [
                "",
                "**Energy is partly estimated:** a meter was distrusted during the run and the estimate covers the rest (the meter notes say when); "
                    + "the estimate's model: " + Markdown.escape(energy.estimateModel ?? "not recorded") + ".",
            ]
        }
        lines += [
            "",
            "Resolution: " + Markdown.escape(energy.resolution.source)
                + "; a figure under ten steps or update periods is reported as below resolution.",
        ]
        if !energy.notes.isEmpty {
            lines += ["", "Meter notes:", "", Markdown.bullets(energy.notes.map(Markdown.escape))]
        }
        return lines.joined(separator: "\n")
    }
}
