import Foundation
import RunModel
import RunStore
import Testing

@Suite struct FinishedRunDocumentTests {
    /// A store in a fresh directory holding one finished run with an epoch, metrics and a meter.
    final class FinishedRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runmodel-tests-\(UUID().uuidString)").path
        let database: RunDatabase
        let finished: RunRecord

        init() throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            database = try RunDatabase.open(path: directory + "/runs.sqlite")
            var record = RunRecord(name: "finished", kind: .api, startedAt: Date(timeIntervalSince1970: 1_700_000_000.1234), host: "h")
            record.wallSeconds = 1.5
            record.energyJoules = 12
            record.tags = ["a", "b"]
            record.id = try database.insertRun(record)
            let id = try #require(record.id)
            var epoch = EpochRecord(runID: id, epochIndex: 1)
            epoch.trainLoss = 0.5
            epoch.energyJoules = 6
            try database.appendEpoch(epoch)
            try database.insertMetrics([MetricRecord(runID: id, name: "accuracy", value: 0.9, split: .validation)])
            finished = try database.completeRun(
                record, status: .completed, endedAt: Date(timeIntervalSince1970: 1_700_000_002.5678),
                meterEnergy: [MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 12, includedInTotal: true)])
        }

        deinit {
            try? database.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test func theDocumentOfTheReturnedRecordIsTheDocumentReadBack() throws {
        let run = try FinishedRun()
        let returned = try RunDocument.load(finished: run.finished, from: run.database)
        let readBack = try RunDocument.load(id: try #require(run.finished.id), from: run.database)
        #expect(try returned.jsonText() == readBack.jsonText())
        #expect(returned.history.count == 1)
        #expect(returned.metrics.accuracy == 0.9)
    }

    @Test func theRunsOwnFiguresComeFromTheRecordNotFromAReadOfItsRow() throws {
        let run = try FinishedRun()
        var record = run.finished
        record.name = "as the tracker returned it"
        let document = try RunDocument.load(finished: record, from: run.database)
        #expect(document.name == "as the tracker returned it")
        // The rows below the run are read from the store.
        #expect(document.history.first?.epoch == 1)
        #expect(document.metrics.accuracy == 0.9)
    }

    @Test func withoutHistoryReadsNoEpochsAndMatchesLoadWithoutHistory() throws {
        let run = try FinishedRun()
        let document = try RunDocument.load(finished: run.finished, from: run.database, history: false)
        #expect(document.history.isEmpty)
        let readBack = try RunDocument.loadWithoutHistory(id: try #require(run.finished.id), from: run.database)
        #expect(try document.jsonText() == readBack.jsonText())
    }

    @Test func aRecordWithoutAnIdIsRefused() throws {
        let run = try FinishedRun()
        var record = run.finished
        record.id = nil
        #expect(throws: RunStoreError.self) { try RunDocument.load(finished: record, from: run.database) }
    }
}
