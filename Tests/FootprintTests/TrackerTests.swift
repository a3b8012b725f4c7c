import Carbon
import Foundation
import FootprintTestKit
import Learning
import RunStore
import Testing
@testable import Footprint
import RunModel

/// The tracker's run lifecycle against a temporary store and a fixture RAPL machine.
@Suite struct TrackerTests {
    /// A tracker on a database in a fresh temporary directory (returned; the caller removes it)
    /// whose meters read a fixture machine with one package and
    /// a dram zone driven at known power.
    static func makeTracker(machine: FixtureMachine, country: String? = "FRA") throws -> (Tracker, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-tracker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var meters = machine.options
        meters.samplingIntervalSeconds = 0.02
        let options = TrackerOptions(databasePath: directory + "/runs.sqlite", meters: meters, carbon: CarbonSettings(countryCode: country))
        do {
            return (try Tracker(options: options), directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    static func raplMachine() throws -> FixtureMachine {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
        try machine.addZone("intel-rapl:0:0", name: "core", microjoules: 500_000)
        try machine.addZone("intel-rapl:0:1", name: "dram", microjoules: 200_000)
        try machine.writeProcStat(user: 100, idle: 900)
        try machine.writeMeminfo(totalKilobytes: 16_000_000, availableKilobytes: 8_000_000)
        try machine.writeCPUInfo(modelName: "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", processors: 2)
        return machine
    }

    @Test func trackedLoopCommitsEpochsAndEndsCompletedWithMeasuredEnergyAndCarbon() throws {
        let machine = try Self.raplMachine()
        let (tracker, directory) = try Self.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ConstantPowerWriter(machine: machine, zoneID: "intel-rapl:0", watts: 50, rangeMicrojoules: 262_143_328_850)
        writer.start()
        let runID = try tracker.track(name: "loop", model: "mlp:1-10-1", dataset: "terrain", plannedEpochs: 3) { run in
            for epoch in 1...3 {
                Thread.sleep(forTimeInterval: 0.05)
                try run.recordEpoch(EpochMetrics(index: epoch, trainLoss: 1 / Double(epoch)))
                // Each epoch is in the store as soon as it is recorded.
                #expect(try tracker.database.epochs(runID: run.id).count == epoch)
            }
            run.setFinalMetrics(trainLoss: 0.33, accuracy: 0.9)
            return run.id
        }
        let watts = writer.stop()
        #expect(watts > 0)
        let document = try RunDocument.load(id: runID, from: tracker.database)
        #expect(document.status == "completed" && document.kind == "api")
        #expect(document.history.count == 3)
        #expect(document.metrics.accuracy == 0.9)
        let energy = try #require(document.energy)
        #expect(energy.provenance == .measured)
        #expect(energy.meters.contains { $0.name == "rapl" && $0.zone.hasPrefix("package") && $0.includedInTotal })
        #expect(!energy.meters.contains { $0.zone == "core" && $0.includedInTotal })  // child of package
        // ≈ 50 W for ≈ 0.15 s or more; never zero, never absurd.
        #expect(energy.joules > 2 && energy.joules < 50 * (document.seconds["wall"] ?? 0) * 1.5 + 1)
        let carbon = try #require(document.carbon)
        #expect(carbon.country == "FRA")
        #expect(abs(carbon.gramsCO2e - energy.joules / 3.6e6 * (carbon.intensity ?? 0)) < 1e-9)
        #expect((carbon.low ?? 0) < carbon.gramsCO2e && carbon.gramsCO2e < (carbon.high ?? 0))
        #expect(document.prediction != nil)  // made after epoch 2 of 3
    }

    @Test func throwingBodyEndsFailedWithItsErrorAndKeepsEpochs() throws {
        let (tracker, directory) = try Self.makeTracker(machine: Self.raplMachine())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        struct Boom: Error, CustomStringConvertible { var description: String { "the GPU caught fire" } }
        var capturedID: Int64 = 0
        #expect(throws: Boom.self) {
            try tracker.track(name: "doomed", model: "m") { run in
                capturedID = run.id
                try run.recordEpoch(EpochMetrics(index: 1, trainLoss: 1))
                throw Boom()
            }
        }
        let run = try tracker.database.run(id: capturedID)
        #expect(run.status == .failed)
        #expect(run.errorText == "the GPU caught fire")
        #expect(try tracker.database.epochs(runID: capturedID).count == 1)
        #expect(run.endedAt != nil)
    }

    @Test func trainingRecordsModelFlopsLayersMetricsAndCoefficients() throws {
        let (tracker, directory) = try Self.makeTracker(machine: Self.raplMachine())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dataset = try DatasetCatalog.load("seed-regression")
        let outcome = try tracker.train(dataset, configuration: TrainingConfiguration(model: .polynomial(degree: 2), epochs: 1))
        let document = try RunDocument.load(id: outcome.runID, from: tracker.database)
        #expect(document.kind == "train" && document.status == "completed")
        #expect(document.model.name == "poly:2" && document.model.parameters == 3)
        #expect(document.coefficients?.count == 3)
        #expect(document.flops?.total == Int64(outcome.result.flops.total))
        #expect(document.layers.count == 1)
        #expect(document.metrics.mse != nil && document.metrics.r2 != nil)

        let mlp = try tracker.train(
            try DatasetCatalog.load("seed-classification"),
            configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 8), epochs: 4, batchSize: 5, learningRate: 0.01))
        let stored = try RunDocument.load(id: mlp.runID, from: tracker.database)
        #expect(stored.history.count == 4)
        #expect(stored.layers.map(\.name) == ["linear_1", "relu_1", "linear_2"])
        #expect(stored.flops?.matmul == Int64(mlp.result.flops.trainingMatmulFlops))
        let sum =
            (stored.flops?.forward ?? 0) + (stored.flops?.backward ?? 0) + (stored.flops?.optimizer ?? 0) + (stored.flops?.evaluation ?? 0)
        #expect(sum == stored.flops?.total)
        #expect(stored.history.allSatisfy { $0.joules != nil })
    }

    @Test func divergingTrainingEndsFailedWithEarlierEpochsKept() throws {
        let (tracker, directory) = try Self.makeTracker(machine: Self.raplMachine())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dataset = try DatasetCatalog.load("seed-regression")
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: 1, hiddenWidth: 32), epochs: 50, batchSize: 1, learningRate: 1e6, optimizer: .sgd(momentum: 0.9))
        do {
            _ = try tracker.train(dataset, configuration: configuration)
            Issue.record("expected divergence")
        } catch let error as TrackedRunError {
            let run = try tracker.database.run(id: error.runID)
            #expect(run.status == .failed)
            #expect(run.errorText?.contains("smaller learning rate") == true)
            let epochs = try tracker.database.epochs(runID: error.runID)
            if case let .nonFiniteLoss(epoch, _, _) = error.underlying as? LearningError {
                #expect(epochs.count == epoch - 1)
            } else {
                Issue.record("wrong underlying error \(error.underlying)")
            }
        }
    }

    @Test func unknownCountryIsRefusedBeforeAnyRunIsCreated() throws {
        #expect(throws: (any Error).self) { try Self.makeTracker(machine: Self.raplMachine(), country: "FRX") }
    }

    @Test func eventLinesBecomeEpochsAndMalformedOnesAreReported() {
        #expect(
            ProgramEvent.parse(#"{"event":"epoch","index":3,"loss":0.21,"accuracy":0.93}"#)
                == .success(.epoch(EpochMetrics(index: 3, trainLoss: 0.21, accuracy: 0.93))))
        #expect(ProgramEvent.parse(#"{"event":"phase","name":"eval"}"#) == .success(.phase(name: "eval")))
        for bad in ["not json", #"{"index":1}"#, #"{"event":"epoch"}"#, #"{"event":"epoch","index":1.5}"#, #"{"event":"nap"}"#, "[1,2]"] {
            guard case .failure = ProgramEvent.parse(bad) else { Issue.record("accepted \(bad)"); continue }
        }
    }

    @Test func predictionExcludesWarmUpAndBracketsTheTruth() throws {
        let prediction = try #require(RunPrediction.make(epochSeconds: [5, 1, 1.1, 0.9], epochJoules: [50, 10, 11, 9], plannedEpochs: 10))
        // 8 s so far, 6 epochs left at a mean of 1 s: 14 s.
        #expect(abs(prediction.seconds.predicted - 14) < 1e-9)
        #expect(prediction.seconds.low < 14 && prediction.seconds.high > 14 && prediction.seconds.low >= 8)
        #expect(abs(prediction.joules.predicted - 140) < 1e-9)
        #expect(RunPrediction.make(epochSeconds: [1], epochJoules: nil, plannedEpochs: 10) == nil)
    }

    @Test func codeCarbonExportKeepsItsColumnNamesAndUnits() throws {
        let (tracker, directory) = try Self.makeTracker(machine: Self.raplMachine())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = try tracker.track(name: "csv", model: "m") { $0.id }
        let document = try RunDocument.load(id: id, from: tracker.database)
        let row = CodeCarbonCSV.row(record: try tracker.database.run(id: id), document: document)
        #expect(row.count == CodeCarbonCSV.header.count)
        let cell = { (name: String) in row[CodeCarbonCSV.header.firstIndex(of: name)!] }
        let joules = try #require(document.energy?.joules)
        #expect(abs((Double(cell("energy_consumed")) ?? -1) - joules / 3.6e6) < 1e-12)  // kWh
        #expect(abs((Double(cell("emissions")) ?? -1) - (document.carbon?.gramsCO2e ?? 0) / 1000) < 1e-15)  // kg
        #expect(cell("country_iso_code") == "FRA")
        #expect(CodeCarbonCSV.escape("a,b") == "\"a,b\"" && CodeCarbonCSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
