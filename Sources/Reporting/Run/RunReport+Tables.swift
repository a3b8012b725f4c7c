import RunModel
import Foundation

extension RunReport {
    /// Largest number of epoch rows a report lists before it thins the table.
    static let epochRowLimit = 40

    /// The power chart, or why there is none.
    func powerSection(chart: ReportChart?) -> String {
        var lines = ["## Power over time", ""]
        if let chart {
            let zones = Set(powerSamples.map { "\($0.meter) \($0.zone)" }).count
            lines.append(chart.markdownImage)
            lines += ["", "\(UnitFormat.integer(Int64(powerSamples.count))) samples over \(zones) meter zone\(zones == 1 ? "" : "s")."]
            if document.energy?.provenance == .estimated {
                lines[lines.count - 1] += " These are the estimate's power figures, not readings of a meter."
            } else if document.energy?.provenance == .mixed {
                lines[lines.count - 1] += " Some are the estimate's power figures, from after a meter was distrusted."
            }
        } else if powerSamples.isEmpty {
            lines.append("No power samples were recorded for this run.")
        } else {
            let seconds = document.seconds["wall"].map { " in \(UnitFormat.seconds($0))" } ?? ""
            lines.append(
                "Only \(powerSamplesPerZone) power sample\(powerSamplesPerZone == 1 ? "" : "s") per zone\(seconds): too few to draw; the run's energy and its epochs' are in the tables."
            )
        }
        return lines.joined(separator: "\n")
    }

    /// One row per epoch (thinned to about ``epochRowLimit`` rows), with the loss chart.
    func epochSection(chart: ReportChart?) -> String? {
        let history = document.history
        guard !history.isEmpty else { return nil }
        let hasAccuracy = history.contains { $0.accuracy != nil }
        let hasMSE = history.contains { $0.mse != nil }
        let hasR2 = history.contains { $0.r2 != nil }
        var headers = ["Epoch", "Train loss", "Val loss"]
        if hasAccuracy { headers.append("Accuracy") }
        if hasMSE { headers.append("MSE") }
        if hasR2 { headers.append("R²") }
        headers += ["Time", "Energy"]
        let step = max(1, Int((Double(history.count) / Double(Self.epochRowLimit)).rounded(.up)))
        let shown = history.enumerated().filter { index, _ in index % step == 0 || index == history.count - 1 }.map(\.element)
        let rows = shown.map { epoch -> [String] in
            var row = ["\(epoch.epoch)", epoch.trainLoss.map(UnitFormat.number) ?? "", epoch.validationLoss.map(UnitFormat.number) ?? ""]
            if hasAccuracy { row.append(epoch.accuracy.map(UnitFormat.percent) ?? "") }
            if hasMSE { row.append(epoch.mse.map(UnitFormat.number) ?? "") }
            if hasR2 { row.append(epoch.r2.map { UnitFormat.fixed($0, decimals: 4) } ?? "") }
            row += [epoch.seconds.map(UnitFormat.seconds) ?? "", epochEnergyCell(epoch)]
            return row
        }
        var lines = ["## Epochs", ""]
        if let chart { lines += [chart.markdownImage, ""] }
        lines.append(Table(headers: headers, rows: rows, rightAligned: Set(headers.indices)).markdown())
        if step > 1 {
            lines += ["", "One epoch in \(step) and the last are listed (\(shown.count) of \(history.count)); the chart shows all."]
        }
        if let startup = document.startupSeconds {
            lines += ["", "The first epoch starts at the program's `train_begin`, after its \(UnitFormat.seconds(startup)) startup."]
        }
        if let energy = document.energy, history.contains(where: { $0.joules != nil }) {
            let source =
                energy.provenance == .mixed
                ? "Epoch energy is partly measured and partly estimated, like the run's total"
                : "Epoch energy is \(energy.provenance.rawValue), from the same meters as the run's total"
            let band = energy.low != nil && energy.high != nil ? ", with the run's stated uncertainty band" : ""
            lines += ["", source + band + "."]
            if history.contains(where: { $0.resolved == false }) {
                lines[lines.count - 1] +=
                    " Epochs below resolution took under ten steps or update periods of the meters: their figures are noise."
            }
        }
        return lines.joined(separator: "\n")
    }

    /// An epoch's energy with the run's relative uncertainty band, or `below resolution`.
    func epochEnergyCell(_ epoch: RunDocument.Epoch) -> String {
        guard let joules = epoch.joules else { return "" }
        if epoch.resolved == false { return "below resolution" }
        guard let energy = document.energy, energy.joules > 0, let low = energy.low, let high = energy.high else {
            return UnitFormat.joules(joules)
        }
        return RangeText.text(joules, low: joules * low / energy.joules, high: joules * high / energy.joules, format: UnitFormat.joules)
    }

    /// Shape, parameters and FLOPs of each layer over the run (and per training sample), with
    /// its share of the FLOPs.
    func layerSection() -> String? {
        let layers = document.layers
        guard !layers.isEmpty else { return nil }
        let total = layers.reduce(Int64(0)) { $0 + $1.forwardFlops + $1.backwardFlops }
        var rows = layers.map { layer -> [String] in
            let share = total > 0 ? UnitFormat.percent(Double(layer.forwardFlops + layer.backwardFlops) / Double(total)) : "—"
            return [
                "\(layer.index)", Markdown.escape(layer.name), Markdown.escape(layer.outputShape), UnitFormat.integer(layer.parameters),
                UnitFormat.integer(layer.forwardFlops), UnitFormat.integer(layer.backwardFlops), share,
            ]
        }
        let forward = layers.reduce(Int64(0)) { $0 + $1.forwardFlops }
        rows.append([
            "", "**Total**", "", "**\(UnitFormat.integer(layers.reduce(0) { $0 + $1.parameters }))**",
            "**\(UnitFormat.integer(forward))**",
            "**\(UnitFormat.integer(layers.reduce(0) { $0 + $1.backwardFlops }))**", total > 0 ? "**100.0%**" : "—",
        ])
        // The store records each layer's FLOPs over the whole run's training steps
        // (`LayerCostRecord`); per sample divides by the training samples the epochs processed.
        let samples = document.history.compactMap(\.samples).reduce(0, +)
        var headers = ["#", "Layer", "Output shape", "Parameters", "Forward FLOPs (run)", "Backward FLOPs (run)"]
        if samples > 0 {
            headers.append("Forward FLOPs/sample")
            for (index, layer) in layers.enumerated() {
                rows[index].insert(Self.perSample(layer.forwardFlops, samples: samples), at: 6)
            }
            rows[rows.count - 1].insert("**\(Self.perSample(forward, samples: samples))**", at: 6)
        }
        headers.append("Share of FLOPs")
        let table = Table(headers: headers, rows: rows, rightAligned: Set([0, 3, 4, 5, 6, 7].filter { $0 < headers.count }))
        var note = "FLOPs of the run's training steps, all epochs together; the share is of forward plus backward FLOPs."
        if samples > 0 { note += " Per sample divides by the \(UnitFormat.integer(samples)) training samples the epochs processed." }
        return ["## Cost per layer", "", table.markdown(), "", note].joined(separator: "\n")
    }

    /// `50` when FLOPs divide evenly by the samples, else three significant digits.
    static func perSample(_ flops: Int64, samples: Int64) -> String {
        flops % samples == 0 ? UnitFormat.integer(flops / samples) : UnitFormat.number(Double(flops) / Double(samples))
    }

    /// GFLOP/s, GFLOP per joule, joules per sample and quality per kilojoule.
    func efficiencySection() -> String {
        let run = document
        var rows: [[String]] = []
        let flops = run.flops.map { Double($0.total) }
        if let rate = run.gflopsPerSecond { rows.append(["Throughput (compute phases)", String(format: "%.3g GFLOP/s", rate)]) }
        if let flops, let wall = run.seconds["wall"], wall > 0 {
            rows.append(["Throughput (wall time)", String(format: "%.3g GFLOP/s", flops / wall / 1e9)])
        }
        let samples = run.history.compactMap(\.samples).reduce(0, +)
        if let energy = run.energy, energy.joules > 0, energy.resolved {
            let kind = energy.provenance.rawValue
            if let flops {
                rows.append(["GFLOP per joule", String(format: "%.3g GFLOP/J (%@ energy)", flops / 1e9 / energy.joules, kind)])
            }
            if samples > 0 {
                rows.append(["Energy per training sample", "\(UnitFormat.joules(energy.joules / Double(samples))) (\(kind))"])
            }
            let kilojoules = energy.joules / 1000
            if let accuracy = run.metrics.accuracy {
                rows.append(["Accuracy per kJ", "\(UnitFormat.number(accuracy * 100 / kilojoules)) percentage points per kJ"])
            }
            if let r2 = run.metrics.r2 { rows.append(["R² per kJ", "\(UnitFormat.number(r2 / kilojoules)) per kJ"]) }
        }
        guard !rows.isEmpty else { return "## Efficiency\n\nNot enough was recorded (FLOPs, time or energy) to compute efficiency." }
        var lines = ["## Efficiency", "", Table(headers: ["Measure", "Value"], rows: rows, rightAligned: [1]).markdown()]
        if run.energy?.isUnresolvedByBridges == true {
            lines += ["", "No per-joule figures: more than 5 % of the run's energy is bridged across intervals a counter lost."]
        } else if run.energy?.resolved == false {
            lines += ["", "No per-joule figures: the run's energy is below resolution, and dividing noise gives noise."]
        } else if run.energy != nil {
            lines += ["", "Per-joule figures use the machine's whole energy over the run, not only this process's share."]
        }
        return lines.joined(separator: "\n")
    }

    /// Predicted time, energy and CO2e ranges beside what the run actually took.
    func predictionSection() -> String? {
        guard let prediction = document.prediction else { return nil }
        let epochSeconds = document.history.compactMap(\.seconds)
        let epochJoules = document.history.compactMap(\.joules)
        let allTimed = epochSeconds.count == document.history.count && !epochSeconds.isEmpty
        let allMetered = epochJoules.count == document.history.count && !epochJoules.isEmpty
        var rows: [[String]] = []
        func row(_ name: String, _ range: PredictedRange, actual: Double?, _ format: (Double) -> String) {
            let outcome: String
            if let actual {
                if actual < range.low {
                    outcome = "below the range (\(UnitFormat.percent((actual - range.predicted) / range.predicted)))"
                } else if actual > range.high {
                    outcome = "above the range (+\(UnitFormat.percent((actual - range.predicted) / range.predicted)))"
                } else {
                    outcome = "within the range"
                }
            } else {
                outcome = "not recorded"
            }
            rows.append([name, format(range.predicted), "\(format(range.low)) – \(format(range.high))", actual.map(format) ?? "—", outcome])
        }
        row("Time (epochs)", prediction.seconds, actual: allTimed ? epochSeconds.reduce(0, +) : nil, UnitFormat.seconds)
        if prediction.joules.high > 0 {
            row("Energy (epochs)", prediction.joules, actual: allMetered ? epochJoules.reduce(0, +) : nil, UnitFormat.joules)
        }
        if let grams = prediction.gramsCO2e { row("CO2e", grams, actual: document.carbon?.gramsCO2e, UnitFormat.gramsCO2e) }
        var lines = [
            "## Prediction and outcome", "",
            "Predicted after epoch \(prediction.afterEpoch) of \(prediction.plannedEpochs) (\(Markdown.escape(prediction.method))).", "",
            Table(headers: ["Quantity", "Predicted", "Range", "Actual", "Outcome"], rows: rows, rightAligned: [1, 2, 3]).markdown(),
            "", "Time and energy compare the sum over epochs, as predicted; CO2e compares the whole run's.",
        ]
        if document.history.count < prediction.plannedEpochs {
            lines += [
                "",
                "The run ended after \(document.history.count) of \(prediction.plannedEpochs) planned epochs, so it falls short of any prediction.",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
