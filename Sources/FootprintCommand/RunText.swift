import Footprint
import Foundation
import Learning
import Reporting
import Statistics
import RunModel
import Vocabulary

/// Keras-style model summary.
enum ModelSummaryText {
    static func render(_ summary: ModelSummary) -> String {
        let rows =
            summary.layers.map {
                [
                    $0.name + " (\($0.kind))", $0.outputShape, UnitFormat.integer(Int64($0.parameters)),
                    UnitFormat.integer(Int64($0.forwardFlopsPerSample)),
                ]
            } + [["Total", "", UnitFormat.integer(Int64(summary.parameters)), UnitFormat.integer(Int64(summary.forwardFlopsPerSample))]]
        return Table(headers: ["Layer (type)", "Output shape", "Params", "Forward FLOPs/sample"], rows: rows, rightAligned: [2, 3])
            .text()
    }
}

/// The results of a run as text for a terminal: every value a program or the machine supplied
/// goes through ``DisplayText`` (the table escapes its cells itself).
enum RunText {
    static func results(_ run: RunDocument) -> String {
        var rows: [[String]] = []
        let metrics = run.metrics
        let on = metrics.split.map { " (\($0.evaluatedOn))" } ?? ""
        if let value = metrics.trainLoss { rows.append(["Training loss", UnitFormat.number(value)]) }
        if let value = metrics.validationLoss { rows.append(["Validation loss", UnitFormat.number(value)]) }
        if let value = metrics.accuracy { rows.append(["Accuracy" + on, UnitFormat.percent(value)]) }
        if let value = metrics.mse { rows.append(["MSE" + on, UnitFormat.number(value)]) }
        if let value = metrics.r2 { rows.append(["R²" + on, UnitFormat.fixed(value, decimals: 4)]) }
        if let coefficients = run.coefficients {
            rows.append([
                "Coefficients θ0…θ\(coefficients.count - 1)", coefficients.map { String(format: "%.6g", $0) }.joined(separator: ", "),
            ])
        }
        if let wall = run.seconds["wall"] { rows.append(["Wall time", UnitFormat.seconds(wall)]) }
        if let cpu = run.seconds["cpu"] { rows.append(["CPU time", UnitFormat.seconds(cpu)]) }
        if let startup = run.startupSeconds {
            var text = "\(UnitFormat.seconds(startup)) before train_begin"
            if let joules = run.energy?.startupJoules { text += ", \(UnitFormat.joules(joules))" }
            if let training = run.energy?.trainingJoules { text += "; training \(UnitFormat.joules(training))" }
            rows.append(["Startup", text])
        }
        if let flops = run.flops {
            rows.append([
                "FLOPs",
                "\(UnitFormat.flops(Double(flops.total))) (fwd \(UnitFormat.flops(Double(flops.forward))), bwd \(UnitFormat.flops(Double(flops.backward))), opt \(UnitFormat.flops(Double(flops.optimizer))), eval \(UnitFormat.flops(Double(flops.evaluation))))",
            ])
        }
        if let rate = run.gflopsPerSecond {
            rows.append(["Throughput", "\(UnitFormat.fixed(rate, decimals: 2)) GFLOP/s (\(run.kernel ?? "?") kernel)"])
        }
        if let energy = run.energy {
            var text = "\(UnitFormat.joules(energy.joules)) \(energy.provenance)"
            if let shortfall = energy.bridgedShortfall {
                text += ", " + shortfall
            } else if !energy.resolved {
                text += ", below resolution (\(energy.resolution.source))"
            }
            if let low = energy.low, let high = energy.high { text += " [\(UnitFormat.joules(low)) – \(UnitFormat.joules(high))]" }
            if let attributed = energy.attributedJoules { text += ", \(UnitFormat.joules(attributed)) attributed to this run" }
            rows.append(["Energy", text])
            let zones = energy.meters.filter(\.includedInTotal).map { "\($0.name) \($0.zone) \(UnitFormat.joules($0.joules))" }
            if !zones.isEmpty { rows.append(["  by meter", zones.joined(separator: "; ")]) }
            if let idle = energy.idleWatts, let net = energy.netJoules {
                rows.append(["  idle / net", "\(UnitFormat.watts(idle)) idle, \(UnitFormat.joules(net)) net"])
            }
        }
        if let carbon = run.carbon {
            var text = UnitFormat.gramsCO2e(carbon.gramsCO2e)
            if let low = carbon.low, let high = carbon.high { text += " [\(UnitFormat.gramsCO2e(low)) – \(UnitFormat.gramsCO2e(high))]" }
            rows.append(["Carbon", text])
            let grid = [
                carbon.country ?? "world", carbon.intensity.map { "\(UnitFormat.number($0)) gCO2e/kWh" }, carbon.intensitySource,
                carbon.pue.map { "PUE \($0)" },
            ].compactMap { $0 }
            rows.append(["  grid", grid.joined(separator: ", ")])
        }
        // Values are composed here (energy with its meters and range): cut only at a line's width.
        var text = Table(headers: ["Result", "Value"], rows: rows).limitingWidth(ofColumns: [1], to: DisplayText.lineWidth).text()
        if let model = run.energy?.estimateModel {
            text += "\nEstimated with: " + DisplayText.terminal(model, width: DisplayText.lineWidth)
        }
        if let notes = run.energy?.notes, !notes.isEmpty {
            text += "\n" + notes.map { "note: " + DisplayText.terminal($0, width: DisplayText.lineWidth) }.joined(separator: "\n")
        }
        return text
    }

    /// A wrapped program's extra facts on one line (`Facts: lr 0.003, optimizer adamw`), the
    /// keys in order, cut to the line's width; nil when it sent none.
    static func extraFacts(_ run: RunDocument) -> String? {
        guard let facts = run.extraFacts, !facts.isEmpty else { return nil }
        let pairs = facts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return DisplayText.terminal("Facts: " + pairs.joined(separator: ", "), width: DisplayText.lineWidth)
    }

    /// The repeats' summary: median and 95% interval of energy, time, CO2e and quality.
    static func summary(_ repeated: RepeatedRuns) -> String {
        let summary = repeated.summary
        func range(_ interval: CentralInterval?, _ format: (Double) -> String) -> String {
            guard let interval else { return "—" }
            guard let low = interval.low, let high = interval.high else { return format(interval.median) + " (one run: no interval)" }
            return "\(format(interval.median)) [\(format(low)) – \(format(high))]"
        }
        var rows = [
            ["Runs", repeated.runs.compactMap { $0.id }.map(String.init).joined(separator: ", ") + " (tag \(repeated.group))"],
            ["Energy", range(summary.joules, UnitFormat.joules)],
            ["Wall time", range(summary.seconds, UnitFormat.seconds)],
            ["Carbon", range(summary.gramsCO2e, UnitFormat.gramsCO2e)],
        ]
        if let name = summary.metric.flatMap(MetricName.init(rawValue:)) {
            let metric = QualityMetric(kind: name, split: nil)
            rows.append([metric.name.prefix(1).uppercased() + metric.name.dropFirst(), range(summary.quality, metric.format)])
        }
        if summary.resolvedRuns < summary.count {
            rows.append(["Resolution", "\(summary.count - summary.resolvedRuns) of \(summary.count) runs below their meter's resolution"])
        }
        return Table(headers: ["Over \(summary.count) runs", "Median [95% interval]"], rows: rows)
            .limitingWidth(ofColumns: [1], to: DisplayText.lineWidth).text()
            + "\n" + DisplayText.terminal(summary.method, width: DisplayText.lineWidth)
    }
}
