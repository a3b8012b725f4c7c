import Foundation
import RunModel
import RunStore
import Testing
import Vocabulary

/// Adding a job up from runs stored directly: one node reading, attribution, double readings.
@Suite struct JobDocumentTests {
    /// Stores a finished rank of `job` with `joules` (nil: no energy) and `cpuSeconds`.
    @discardableResult
    static func storeRank(
        _ store: RunDatabase, job: String, node: String, rank: Int, localRank: Int?, joules: Double?, cpuSeconds: Double,
        provenance: EnergyProvenance = .measured, grams: Double? = nil
    ) throws -> Int64 {
        var run = RunRecord(name: "rank-\(rank)", kind: .wrap, startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: node)
        run.jobKey = job
        run.rank = rank
        run.localRank = localRank
        run.node = node
        let id = try store.insertRun(run)
        run.id = id
        run.cpuSeconds = cpuSeconds
        run.wallSeconds = 10
        run.energyJoules = joules
        run.energyProvenance = joules == nil ? nil : provenance
        run.energyResolutionJoules = joules == nil ? nil : 0.001
        run.energyResolutionSeconds = joules == nil ? nil : 0.001
        run.gramsCO2e = grams
        run.gramsCO2eLow = grams.map { $0 * 0.8 }
        run.gramsCO2eHigh = grams.map { $0 * 1.2 }
        let meters =
            joules.map { [MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: $0, includedInTotal: true)] } ?? []
        try store.completeRun(
            run, status: .completed, endedAt: Date(timeIntervalSince1970: 1_750_000_010), samples: [], meterEnergy: meters)
        return id
    }

    @Test func aNodeIsCountedOnceAndItsEnergyIsSharedByCPUTime() throws {
        let directory = NSTemporaryDirectory() + "job-doc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RunDatabase.open(path: directory + "/runs.sqlite")
        try Self.storeRank(store, job: "j", node: "a", rank: 0, localRank: 0, joules: 100, cpuSeconds: 3, grams: 10)
        try Self.storeRank(store, job: "j", node: "a", rank: 1, localRank: 1, joules: nil, cpuSeconds: 1)
        try Self.storeRank(store, job: "j", node: "b", rank: 2, localRank: 0, joules: 50, cpuSeconds: 2, provenance: .estimated, grams: 5)
        try Self.storeRank(store, job: "j", node: "b", rank: 3, localRank: 1, joules: nil, cpuSeconds: 2)
        try Self.storeRank(store, job: "other", node: "a", rank: 0, localRank: 0, joules: 999, cpuSeconds: 1)
        let job = try JobDocument.load(job: "j", from: store)
        #expect(job.runs.count == 4)
        #expect(job.energy?.joules == 150)
        #expect(job.energy?.provenance == .mixed)  // one node measured, one estimated
        #expect(abs((job.carbon?.gramsCO2e ?? 0) - 15) < 1e-12)
        #expect(abs((job.carbon?.low ?? 0) - 12) < 1e-12 && abs((job.carbon?.high ?? 0) - 18) < 1e-12)
        let shares = Dictionary(uniqueKeysWithValues: job.ranks.map { ($0.rank ?? -1, $0.attributedJoules ?? -1) })
        #expect(shares == [0: 75, 1: 25, 2: 25, 3: 25])
        #expect(job.seconds["wall"] == 10 && job.seconds["cpu"] == 8)
        #expect(job.notes.isEmpty)
        // A row per node with its own energy, not the job's.
        let rows = job.nodeTable().text().components(separatedBy: "\n")
        #expect(rows.contains { $0.hasPrefix("a ") && $0.contains("100 J") })
        #expect(rows.contains { $0.hasPrefix("b ") && $0.contains("50.0 J estimated") })
    }

    @Test func twoRunsReadingOneNodesHostMetersAreCountedOnceAndSaidSo() throws {
        let directory = NSTemporaryDirectory() + "job-doc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RunDatabase.open(path: directory + "/runs.sqlite")
        try Self.storeRank(store, job: "dup", node: "a", rank: 0, localRank: nil, joules: 100, cpuSeconds: 1)
        let second = try Self.storeRank(store, job: "dup", node: "a", rank: 1, localRank: nil, joules: 90, cpuSeconds: 1)
        try Self.storeRank(store, job: "dup", node: "c", rank: 2, localRank: 1, joules: nil, cpuSeconds: 1)
        let job = try JobDocument.load(job: "dup", from: store)
        #expect(job.energy?.joules == 100)
        #expect(job.notes.contains { $0.contains("counted run 1 only (dropped \(second))") })
        #expect(job.notes.contains { $0.hasPrefix("no energy for c") })
        #expect(throws: JobDocumentError.noRuns(job: "missing", location: store.path)) { try JobDocument.load(job: "missing", from: store) }
    }
}
