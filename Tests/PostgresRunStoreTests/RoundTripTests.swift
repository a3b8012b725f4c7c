import Foundation
import PostgresRunStore
import RunStore
import Testing

/// The same writes to the SQLite file and to PostgreSQL read back the same: every record type,
/// every column, the replacing upserts, the transitions and the filters.
@Suite(.enabled(if: TestServer.shouldRun)) struct RoundTripTests {
    /// What a scenario read back, compared whole.
    struct Observed: Equatable {
        var bundles: [RunBundle] = []
        var listings: [[String]] = []
        var errors: [String] = []
        var counts: [Int] = []
    }

    @Test func everyRecordTypeReadsBackAsFromSQLite() throws {
        let schema = try TestSchema()
        let directory = try TemporaryDirectory()
        let sqlite = try RunDatabase.open(path: directory.file("reference.sqlite"))
        let postgres = try schema.open()
        defer {
            try? sqlite.close()
            try? postgres.close()
        }
        let expected = try Self.scenario(sqlite)
        let observed = try Self.scenario(postgres)
        #expect(observed.errors == expected.errors)
        #expect(observed.listings == expected.listings)
        #expect(observed.counts == expected.counts)
        #expect(observed.bundles.count == expected.bundles.count)
        for (got, want) in zip(observed.bundles, expected.bundles) {
            #expect(got.details.run == want.details.run)
            #expect(got.details.epochs == want.details.epochs)
            #expect(got.details.metrics == want.details.metrics)
            #expect(got.details.layerCosts == want.details.layerCosts)
            #expect(got.details.meterEnergy == want.details.meterEnergy)
            #expect(got.powerSamples == want.powerSamples)
        }
        #expect(expected.bundles.count == 4)
        #expect(expected.bundles[0].powerSamples.count == 2_503)
    }

    /// Writes runs through every method and reads everything back.
    static func scenario(_ store: any RunStorage) throws -> Observed {
        var observed = Observed()
        func capture(_ body: () throws -> Void) {
            do { try body() } catch { observed.errors.append("\(type(of: error)): \(Self.withoutLocation(error))") }
        }
        let me = ProcessIdentity.current()
        var full = RunRecord(name: "mlp-h100", kind: .train, startedAt: millisecondDate(1_750_000_000.456), host: me.hostName)
        full.uuid = "00000000-0000-4000-8000-000000000001"
        full.pid = me.pid
        full.processStartTicks = me.startTicks
        full.modelName = "mlp:1-100-1"
        full.tags = ["baseline", "h100", "ünïcode"]
        full.unsignedSeed = UInt64.max - 6
        full.energyProvenance = .mixed
        full.hyperparametersJSON = #"{"lr":0.01}"#
        full.jobKey = "slurm:42.0"
        full.jobAttempt = 1
        full.rank = 3
        full.localRank = 1
        full.worldSize = 8
        full.node = "n7"
        full.visibleDevices = "0,1"
        full.cpuCount = 2
        full.memoryBytes = 8_589_934_592
        full.wallSeconds = 0.1 + 0.2
        let id = try store.insertRun(full)
        full.id = id
        full.energyJoules = 5_000.5
        full.gramsCO2e = 1e-12
        full.flopsTotal = Int64.max
        try store.updateRun(full)
        var epoch = EpochRecord(runID: id, epochIndex: 0)
        epoch.trainLoss = 0.5
        try store.appendEpoch(epoch)
        epoch.trainLoss = 0.25  // the same index again replaces it
        epoch.samples = 1_000
        epoch.energyJoules = .pi
        try store.appendEpoch(epoch)
        try store.appendEpoch(EpochRecord(runID: id, epochIndex: 1))
        try store.insertLayerCosts([
            LayerCostRecord(runID: id, layerIndex: 1, name: "tanh", outputShape: "100", parameters: 0, forwardFlops: 5, backwardFlops: 6),
            LayerCostRecord(
                runID: id, layerIndex: 0, name: "dense1", outputShape: "100", parameters: 200, forwardFlops: 7, backwardFlops: 8),
        ])
        try store.insertMetrics([
            MetricRecord(runID: id, name: "mse", value: 0.5, split: .validation),
            MetricRecord(runID: id, name: "Zeta", value: 1, split: .train),
            MetricRecord(runID: id, name: "accuracy", value: 0.9, split: .train),
        ])
        try store.insertMetrics([MetricRecord(runID: id, name: "mse", value: 0.25, split: .validation)])
        try store.insertMeterEnergy([
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 10, includedInTotal: true),
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "dram", joules: 2, includedInTotal: false),
        ])
        var samples: [PowerSampleRecord] = []
        for index in 0..<2_500 {
            samples.append(
                PowerSampleRecord(
                    runID: id, elapsedSeconds: Double(index % 1_250) * 0.1, meter: "rapl", zone: index % 2 == 0 ? "b" : "a",
                    watts: Double(index)))
        }
        try store.insertPowerSamples(samples)
        try store.recordHeartbeat(runID: id, at: millisecondDate(1_750_000_010.5))
        full.heartbeatAt = millisecondDate(1_750_000_010.5)
        try store.completeRun(
            full, status: .completed, endedAt: millisecondDate(1_750_000_100.25),
            samples: (0..<3).map {
                PowerSampleRecord(runID: id, elapsedSeconds: 200 + Double($0), meter: "nvml", zone: "gpu-0", watts: 70)
            },
            meterEnergy: [MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 11, includedInTotal: true)])
        capture { try store.finishRun(id: id, status: .failed) }
        capture { try store.completeRun(full, status: .running) }
        capture { try store.appendEpoch(EpochRecord(runID: 999, epochIndex: 0)) }
        capture { try store.insertMetrics([MetricRecord(runID: 999, name: "mse", value: 1, split: .train)]) }
        capture { try store.insertPowerSamples([PowerSampleRecord(runID: 998, elapsedSeconds: 0, meter: "m", zone: "z", watts: 1)]) }
        capture { _ = try store.run(id: 999) }

        // A second run finished with figures; a third from another host, silent past the lease.
        var wrapped = RunRecord(name: "sleep", kind: .wrap, startedAt: millisecondDate(1_750_000_200), host: me.hostName)
        wrapped.uuid = "00000000-0000-4000-8000-000000000002"
        wrapped.modelName = "mlpx"
        wrapped.tags = ["h100"]
        let second = try store.insertRun(wrapped)
        try store.finishRun(
            id: second, status: .failed, endedAt: millisecondDate(1_750_000_300), errorText: "exit 3", exitStatus: 3, wallSeconds: 100,
            cpuSeconds: 50)
        var remote = RunRecord(name: "remote", kind: .api, startedAt: millisecondDate(1_700_000_000), host: "elsewhere")
        remote.uuid = "00000000-0000-4000-8000-000000000003"
        remote.jobKey = "slurm:42.0"
        let third = try store.insertRun(remote)
        try store.recordHeartbeat(runID: third, at: millisecondDate(1_700_000_100))
        let marked = try store.markCrashedRuns()
        observed.counts.append(marked.count)
        observed.counts.append(try store.markCrashedRuns().count)

        // An import keeps status and UUID; importing it again is refused.
        var bundle = try store.bundle(runID: second)
        bundle.details.run.uuid = "00000000-0000-4000-8000-000000000004"
        let imported = try store.importRun(bundle)
        capture { try store.importRun(bundle) }
        observed.counts.append(try store.runCount())

        let queries = [
            RunQuery(), RunQuery(limit: 2), RunQuery(model: "mlp"), RunQuery(model: "mlp:1-100-1"), RunQuery(model: "ml"),
            RunQuery(status: .failed), RunQuery(status: .crashed), RunQuery(status: .running), RunQuery(tag: "h100"),
            RunQuery(tag: "ünïcode"), RunQuery(tag: "h1"), RunQuery(job: "slurm:42.0"), RunQuery(limit: 1, status: .crashed),
        ]
        for query in queries { observed.listings.append(try store.runs(query).map { "\($0.id ?? 0) \($0.name) \($0.status.rawValue)" }) }
        #expect(try store.run(uuid: full.uuid)?.id == id)
        #expect(try store.run(uuid: "no-such-uuid") == nil)
        for runID in [id, second, third, imported] {
            var read = try store.bundle(runID: runID)
            // The crash reason ends with the moment it was found, which differs between runs.
            read.details.run.errorText = read.details.run.errorText?.components(separatedBy: "(found at").first
            observed.bundles.append(read)
        }
        observed.counts.append(try store.deleteRuns(ids: [second, 12_345]))
        observed.counts.append(try store.runCount())
        observed.counts.append(try store.powerSamples(runID: second).count)
        return observed
    }

    /// An error's text without the store's name, which differs between the two.
    static func withoutLocation(_ error: any Error) -> String {
        guard let error = error as? RunStoreError else { return "\(error)" }
        switch error {
        case .duplicateRun(let uuid, _): return "duplicate \(uuid)"
        default: return "\(error)"
        }
    }
}
