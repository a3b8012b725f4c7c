import Foundation
import RunModel
import RunStore
import Testing

@testable import Reporting

@Suite struct JobReportTests {
    /// Stores a finished rank whose `meter`/`zone` drew `watts` at 0.1 s, 0.2 s, … 0.6 s.
    static func storeRank(
        _ store: RunDatabase, node: String, rank: Int, localRank: Int, meter: String, zone: String, watts: Double, startedAt: Date
    ) throws {
        var run = RunRecord(name: "rank-\(rank)", kind: .wrap, startedAt: startedAt, host: node)
        run.jobKey = "chart-job"
        run.rank = rank
        run.localRank = localRank
        run.node = node
        run.visibleDevices = localRank == 0 ? nil : "\(localRank)"
        let id = try store.insertRun(run)
        run.id = id
        run.cpuSeconds = 1
        run.wallSeconds = 0.6
        run.energyJoules = watts * 0.6
        run.energyProvenance = .measured
        let samples = (1...6).map { PowerSampleRecord(runID: id, elapsedSeconds: Double($0) / 10, meter: meter, zone: zone, watts: watts) }
        // A zone inside another is stored but never added to the node's power.
        let inner = samples.map { PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: meter, zone: "core", watts: 1000) }
        try store.completeRun(
            run, status: .completed, endedAt: startedAt.addingTimeInterval(0.6), samples: samples + inner,
            meterEnergy: [
                MeterEnergyRecord(runID: id, meter: meter, zone: zone, joules: watts * 0.6, includedInTotal: true),
                MeterEnergyRecord(runID: id, meter: meter, zone: "core", joules: 600, includedInTotal: false),
            ])
    }

    @Test func powerPerNodeAddsTheHostMetersAndTheRanksOwnGPUsNeverAnInnerZone() throws {
        let directory = NSTemporaryDirectory() + "job-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RunDatabase.open(path: directory + "/runs.sqlite")
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        try Self.storeRank(store, node: "a", rank: 0, localRank: 0, meter: "rapl", zone: "package-0", watts: 40, startedAt: start)
        try Self.storeRank(store, node: "a", rank: 1, localRank: 1, meter: "nvml", zone: "gpu-1", watts: 200, startedAt: start)
        try Self.storeRank(
            store, node: "b", rank: 2, localRank: 0, meter: "rapl", zone: "package-0", watts: 60, startedAt: start.addingTimeInterval(1))
        let report = try JobReport.load(job: "chart-job", from: store)
        let chart = try #require(report.powerChart())
        #expect(chart.series.map(\.name) == ["a", "b"])
        #expect(Set(chart.series[0].points.map(\.y)) == [240])
        #expect(Set(chart.series[1].points.map(\.y)) == [60])
        // Node b started a second after the job's first rank: its line starts there.
        #expect(abs((chart.series[1].points.first?.x ?? 0) - 1.1) < 1e-9)
        #expect(report.document.energy?.joules == (40 + 200 + 60) * 0.6)
        let bundle = report.render(chartPrefix: "job-chart")
        #expect(bundle.charts.map(\.fileName) == ["job-chart-power.svg"])
        #expect(bundle.markdown.contains("## Devices") && bundle.markdown.contains("gpu-1"))
    }

    @Test func aStepFunctionIsZeroOutsideItsSamples() {
        let points = [ChartPoint(x: 1, y: 5), ChartPoint(x: 2, y: 7), ChartPoint(x: 4, y: 9)]
        #expect(JobReport.value(of: points, at: 0.5) == 0)
        #expect(JobReport.value(of: points, at: 1) == 5)
        #expect(JobReport.value(of: points, at: 3.9) == 7)
        #expect(JobReport.value(of: points, at: 4) == 9)
        #expect(JobReport.value(of: points, at: 4.1) == 0)
    }
}
