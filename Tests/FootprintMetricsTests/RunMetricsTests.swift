import Vocabulary
import Foundation
import Testing

@testable import FootprintMetrics

@Suite struct RunMetricsTests {
    static let job = JobContext(key: "slurm:77", rank: 3, localRank: 1, node: "node-b")

    /// A rank's run after `seconds`, drawing 40 W on package-0 and 10 W on dram-0, with a core
    /// zone inside the package that the total does not count.
    static func snapshot(
        seconds: Double, epochs: Int, grams: Double? = nil, finished: Bool = false, provenance: EnergyProvenance = .measured
    )
        -> LiveRunSnapshot
    {
        LiveRunSnapshot(
            runID: 12, uuid: "5F0C-RUN", name: "terrain-mlp", modelName: "mlp:2-100-1", dataset: "terrain", job: job,
            host: "node-b.example", elapsedSeconds: seconds, joules: 50 * seconds, provenance: provenance,
            gramsCO2e: grams ?? 0.01 * seconds, flops: Int64(epochs) * 1_000_000, epochsFinished: epochs,
            zoneWatts: [
                .init(meter: "rapl", zone: "core", watts: 30), .init(meter: "rapl", zone: "dram-0", watts: 10),
                .init(meter: "rapl", zone: "package-0", watts: 40),
            ],
            zoneJoules: [
                .init(meter: "rapl", zone: "package-0", joules: 40 * seconds, includedInTotal: true),
                .init(meter: "rapl", zone: "core", joules: 30 * seconds, includedInTotal: false),
                .init(meter: "rapl", zone: "dram-0", joules: 10 * seconds, includedInTotal: true),
            ],
            finished: finished)
    }

    static func text(_ metrics: RunMetrics) throws -> ExpositionText {
        try ExpositionText(String(decoding: metrics.exposition(), as: UTF8.self))
    }

    @Test func energyIsExportedPerZoneInTheTotalAndSumsToTheRunsTotal() throws {
        let metrics = RunMetrics()
        metrics.record(Self.snapshot(seconds: 2, epochs: 1))
        let text = try Self.text(metrics)
        let energy = text.samples(named: "footprint_energy_joules_total")
        #expect(Set(energy.map { $0.labels["zone"] ?? "" }) == ["package-0", "dram-0"])
        #expect(abs(energy.map(\.value).reduce(0, +) - 100) < 1e-9)
        #expect(text.value("footprint_energy_joules_total", ["zone": "package-0"]) == 80)
        let labels = try #require(energy.first?.labels)
        #expect(labels["run"] == "5F0C-RUN" && labels["job_key"] == "slurm:77" && labels["node"] == "node-b" && labels["rank"] == "3")
        #expect(labels["meter"] == "rapl")
        #expect(text.types["footprint_energy_joules_total"] == "counter")
        #expect(text.types["footprint_power_watts"] == "gauge")
        #expect(Set(text.samples(named: "footprint_power_watts").map { $0.labels["zone"] ?? "" }) == ["package-0", "dram-0"])
        #expect(text.value("footprint_power_watts", ["zone": "package-0"]) == 40)
        for name in ["footprint_energy_joules_total", "footprint_power_watts", "footprint_co2e_grams_total", "footprint_run_info"] {
            #expect(!(text.helps[name] ?? "").isEmpty, "no HELP for \(name)")
        }
    }

    @Test func countersFollowTheSnapshotsAndNeverGoDown() throws {
        let metrics = RunMetrics()
        var seen: [String: Double] = [:]
        // The last snapshot's CO2e is lower than the one before (recomputed at the end): the
        // counter must stay where it was.
        let sequence = [
            Self.snapshot(seconds: 1, epochs: 0, grams: 0.01), Self.snapshot(seconds: 2, epochs: 1, grams: 0.02),
            Self.snapshot(seconds: 3.5, epochs: 2, grams: 0.035), Self.snapshot(seconds: 4, epochs: 3, grams: 0.03, finished: true),
        ]
        for snapshot in sequence {
            metrics.record(snapshot)
            let text = try Self.text(metrics)
            for sample in text.samples where sample.name.hasSuffix("_total") {
                let key = sample.name + "\(sample.labels.sorted { $0.key < $1.key })"
                #expect(sample.value >= seen[key, default: 0], "\(sample.name) went down")
                seen[key] = sample.value
            }
            #expect(text.value("footprint_epoch") == Double(snapshot.epochsFinished))
        }
        let text = try Self.text(metrics)
        #expect(text.value("footprint_energy_joules_total", ["zone": "dram-0"]) == 40)
        #expect(abs((text.value("footprint_co2e_grams_total") ?? 0) - 0.035) < 1e-12)
        #expect(text.value("footprint_flops_total") == 3_000_000)
        #expect(text.types["footprint_flops_total"] == "counter" && text.types["footprint_epoch"] == "gauge")
    }

    @Test func runWithoutEnergyExportsNoEnergyPowerOrCarbonSeries() throws {
        let metrics = RunMetrics()
        var snapshot = Self.snapshot(seconds: 2, epochs: 1)
        snapshot.joules = nil
        snapshot.gramsCO2e = nil
        snapshot.provenance = nil
        snapshot.zoneJoules = []
        snapshot.flops = 0
        metrics.record(snapshot)
        let text = try Self.text(metrics)
        for name in ["footprint_energy_joules_total", "footprint_power_watts", "footprint_co2e_grams_total", "footprint_flops_total"] {
            #expect(text.samples(named: name).isEmpty, "\(name) exported for a run with no energy")
        }
        #expect(text.value("footprint_epoch") == 1)
        #expect(text.value("footprint_run_info", ["provenance": ""]) == 1)
    }

    @Test func totalWithoutZonesIsOneSeriesForAllZones() throws {
        let metrics = RunMetrics()
        var snapshot = Self.snapshot(seconds: 2, epochs: 0)
        snapshot.zoneJoules = []
        snapshot.zoneWatts = []
        snapshot.job = nil
        snapshot.uuid = ""
        metrics.record(snapshot)
        let text = try Self.text(metrics)
        let energy = text.samples(named: "footprint_energy_joules_total")
        #expect(energy.count == 1)
        #expect(energy.first?.value == 100)
        #expect(energy.first?.labels == ["run": "12", "job_key": "", "node": "node-b.example", "rank": "", "meter": "all", "zone": "all"])
    }

    @Test func runInfoCarriesTheRunsLabelsAndIsReplacedWhenTheyChange() throws {
        let metrics = RunMetrics()
        metrics.record(Self.snapshot(seconds: 1, epochs: 0))
        metrics.record(Self.snapshot(seconds: 2, epochs: 1, provenance: .mixed))
        let text = try Self.text(metrics)
        let info = text.samples(named: "footprint_run_info")
        #expect(info.count == 1)
        #expect(
            info.first?.labels == [
                "run": "5F0C-RUN", "job_key": "slurm:77", "node": "node-b", "rank": "3", "name": "terrain-mlp", "model": "mlp:2-100-1",
                "dataset": "terrain", "provenance": "mixed",
            ])
        #expect(info.first?.value == 1)
    }

    @Test func labelValuesWithQuotesAndNewlinesAreEscaped() throws {
        let metrics = RunMetrics()
        var snapshot = Self.snapshot(seconds: 1, epochs: 0)
        snapshot.name = "say \"hi\"\\\nbye"
        metrics.record(snapshot)
        let text = try Self.text(metrics)
        #expect(text.samples(named: "footprint_run_info").first?.labels["name"] == snapshot.name)
    }
}
