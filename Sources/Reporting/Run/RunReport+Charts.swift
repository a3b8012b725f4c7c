import RunModel
import Foundation
import RunStore

extension RunReport {
    /// Most points a power series keeps; longer runs are averaged into this many buckets so a
    /// day at 10 Hz still makes a small SVG.
    static let powerPointLimit = 1_200

    /// The power and loss charts this run's data allows, named `PREFIX-power.svg` and
    /// `PREFIX-loss.svg`.
    func makeCharts(prefix: String) -> [ReportChart] {
        var charts: [ReportChart] = []
        if let power = powerChart() {
            charts.append(ReportChart(fileName: "\(prefix)-power.svg", title: "Power over time", svg: power.svg()))
        }
        if let loss = lossChart() { charts.append(ReportChart(fileName: "\(prefix)-loss.svg", title: "Loss over epochs", svg: loss.svg())) }
        return charts
    }

    /// Fewest samples per zone worth a line: with fewer, the report says so in a sentence.
    static let powerPointMinimum = 5

    /// Power of each meter zone against seconds since the start; nil when there are too few
    /// samples to draw a line worth reading.
    func powerChart() -> LineChart? {
        guard powerSamplesPerZone >= Self.powerPointMinimum else { return nil }
        var order: [String] = []
        var points: [String: [ChartPoint]] = [:]
        for sample in powerSamples {
            let name = "\(sample.meter) \(sample.zone)"
            if points[name] == nil { order.append(name) }
            points[name, default: []].append(ChartPoint(x: sample.elapsedSeconds, y: sample.watts))
        }
        let series = order.map { LineSeries(name: $0, points: Self.downsampled(points[$0] ?? [], limit: Self.powerPointLimit)) }
        let provenance = document.energy.map { " (\($0.provenance))" } ?? ""
        return LineChart(
            title: "Power over time, run \(document.id)\(provenance)",
            xAxis: ChartAxis("Time since start", unit: "s", includesZero: true),
            yAxis: ChartAxis("Power", unit: "W", includesZero: true), series: series)
    }

    /// Samples of the best-sampled zone.
    var powerSamplesPerZone: Int {
        Dictionary(grouping: powerSamples, by: { "\($0.meter) \($0.zone)" }).values.map(\.count).max() ?? 0
    }

    /// Training and validation loss against epoch, on a log scale when they span a decade.
    func lossChart() -> LineChart? {
        let history = document.history
        let train = history.compactMap { epoch in epoch.trainLoss.map { ChartPoint(x: Double(epoch.epoch), y: $0) } }
        let validation = history.compactMap { epoch in epoch.validationLoss.map { ChartPoint(x: Double(epoch.epoch), y: $0) } }
        guard !train.isEmpty || !validation.isEmpty else { return nil }
        var series: [LineSeries] = []
        if !train.isEmpty { series.append(LineSeries(name: "training", points: train)) }
        if !validation.isEmpty { series.append(LineSeries(name: "validation", points: validation)) }
        let values = (train + validation).map(\.y).filter(\.isFinite)
        let positive = values.allSatisfy { $0 > 0 }
        let spansDecade = (values.max() ?? 0) >= 10 * (values.min() ?? 0)
        let scale: AxisScale = positive && spansDecade ? .log10 : .linear
        return LineChart(
            title: "Loss over epochs, run \(document.id)", xAxis: ChartAxis("Epoch"),
            yAxis: ChartAxis("Loss", scale: scale, includesZero: scale == .linear), series: series)
    }

    /// Averages consecutive points into at most `limit` buckets (x and y averaged alike).
    static func downsampled(_ points: [ChartPoint], limit: Int) -> [ChartPoint] {
        guard points.count > limit, limit > 0 else { return points }
        let size = Int((Double(points.count) / Double(limit)).rounded(.up))
        return stride(from: 0, to: points.count, by: size).map { start in
            let bucket = points[start..<min(start + size, points.count)]
            let count = Double(bucket.count)
            return ChartPoint(x: bucket.reduce(0) { $0 + $1.x } / count, y: bucket.reduce(0) { $0 + $1.y } / count)
        }
    }
}
