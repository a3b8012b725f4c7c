import Foundation
import Testing
@testable import RunStore

/// `details(ids:)`, the batched read behind `show`, `compare` and `export`.
@Suite struct DetailsTests {
    @Test func detailsKeepTheRequestedOrderAndEachRunsOwnRows() throws {
        let directory = try TemporaryDirectory()
        let database = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var ids: [Int64] = []
        for number in 1...3 {
            let id = try database.insertRun(makeRun(name: "run-\(number)"))
            ids.append(id)
            for epoch in 1...number { try database.appendEpoch(EpochRecord(runID: id, epochIndex: epoch)) }
            try database.insertMetrics([MetricRecord(runID: id, name: "mse", value: Double(number), split: .validation)])
            try database.insertMeterEnergy([
                MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: Double(number), includedInTotal: true)
            ])
            try database.insertLayerCosts([
                LayerCostRecord(
                    runID: id, layerIndex: 0, name: "fc", outputShape: "(N, 1)", parameters: 2, forwardFlops: 4, backwardFlops: 8)
            ])
        }
        let details = try database.details(ids: [ids[2], ids[0], ids[1]])
        #expect(details.map(\.run.name) == ["run-3", "run-1", "run-2"])
        #expect(details.map(\.epochs.count) == [3, 1, 2])
        #expect(details.map { $0.metrics.first?.value } == [3, 1, 2])
        #expect(details.map { $0.meterEnergy.first?.joules } == [3, 1, 2])
        for detail in details {
            #expect(detail.layerCosts.count == 1)
            #expect(detail.epochs.allSatisfy { $0.runID == detail.run.id })
        }
        // The same as reading each table on its own.
        #expect(details[0].epochs == (try database.epochs(runID: ids[2])))
    }

    @Test func anUnknownIdIsReportedByNumber() throws {
        let directory = try TemporaryDirectory()
        let database = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try database.insertRun(makeRun())
        #expect(throws: RunStoreError.runNotFound(id: 999)) { try database.details(ids: [id, 999]) }
        #expect(try database.details(ids: []).isEmpty)
    }
}
