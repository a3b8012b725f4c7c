import Foundation
import RunModel
import RunStore

extension JobReport {
    /// Power of each node against seconds since the job's first start: at each poll, the sum of
    /// the zones in the node's total, from the runs that measured it (host meters once, plus
    /// ranks' own GPUs). Nil when no node has enough samples for a line worth reading.
    func powerChart() -> LineChart? {
        var series: [LineSeries] = []
        for node in document.nodes {
            let counted = Set(node.meters.filter(\.includedInTotal).map { "\($0.name)/\($0.zone)" })
            // Each run's total watts at each poll, then the runs' step functions added at every
            // poll of any of them: a rank's GPUs and the host meters are polled at other instants.
            let perRun: [[ChartPoint]] = node.runs.compactMap { run in
                guard let samples = powerSamples[run], let offset = startOffsets[run] else { return nil }
                var watts: [Double: Double] = [:]
                for sample in samples where counted.contains("\(sample.meter)/\(sample.zone)") {
                    watts[offset + sample.elapsedSeconds, default: 0] += sample.watts
                }
                return watts.isEmpty ? nil : watts.keys.sorted().map { ChartPoint(x: $0, y: watts[$0] ?? 0) }
            }
            let times = Set(perRun.flatMap { $0.map(\.x) }).sorted()
            guard times.count >= RunReport.powerPointMinimum else { continue }
            let points = times.map { time in
                ChartPoint(x: time, y: perRun.reduce(0) { $0 + Self.value(of: $1, at: time) })
            }
            let name = node.node + (document.attempts.count > 1 ? " (attempt \(node.attempt ?? 0))" : "")
            series.append(LineSeries(name: name, points: RunReport.downsampled(points, limit: RunReport.powerPointLimit)))
        }
        guard !series.isEmpty else { return nil }
        let provenance = document.energy.map { " (\($0.provenance))" } ?? ""
        return LineChart(
            title: "Power per node, job \(document.job)\(provenance)",
            xAxis: ChartAxis("Time since the job's first start", unit: "s", includesZero: true),
            yAxis: ChartAxis("Power", unit: "W", includesZero: true), series: series)
    }

    /// The latest value of `points` (sorted by x) at `time`; 0 before the first and after the last.
    static func value(of points: [ChartPoint], at time: Double) -> Double {
        guard let first = points.first, let last = points.last, time >= first.x, time <= last.x else { return 0 }
        var low = 0
        var high = points.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if points[middle].x <= time { low = middle } else { high = middle - 1 }
        }
        return points[low].y
    }
}
