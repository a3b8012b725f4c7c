import Foundation
import RunModel
import RunStore
import Testing
import Vocabulary

/// A wrapped run's model facts, startup and extra facts in its document (`show --json`), and the
/// training energy comparisons use.
@Suite struct WrappedModelDocumentTests {
    /// Opens a fresh store, completes one run changed by `change`, and returns its document.
    static func document(_ change: (inout RunRecord) -> Void) throws -> RunDocument {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runmodel-wrapped-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try RunDatabase.open(path: directory + "/runs.sqlite")
        defer { try? database.close() }
        var record = RunRecord(name: "wrapped", kind: .wrap, startedAt: Date(timeIntervalSince1970: 1_700_000_000), host: "h")
        record.command = #"["python","train.py"]"#
        record.id = try database.insertRun(record)
        change(&record)
        let finished = try database.completeRun(record, status: .completed, endedAt: Date(timeIntervalSince1970: 1_700_000_008))
        return try RunDocument.load(finished: finished, from: database)
    }

    @Test func modelFactsStartupAndExtraFactsAppearUnderTheirKeys() throws {
        let document = try Self.document { run in
            run.modelName = "mlp-256"
            run.parameterCount = 19_210
            run.flopsPerSample = 76_800
            run.energyJoules = 40
            run.energyProvenance = .measured
            run.wallSeconds = 8
            run.startupSeconds = 5.9
            run.startupJoules = 26.5
            run.extraFactsJSON = #"{"lr":0.001,"optimizer":"adamw","pretrained":false}"#
        }
        #expect(document.model.flopsPerSample == 76_800)
        #expect(document.startupSeconds == 5.9)
        #expect(document.energy?.startupJoules == 26.5)
        #expect(document.energy?.trainingJoules == 13.5)
        #expect(document.trainingEnergyJoules == 13.5)
        #expect(document.extraFacts == ["lr": .number(0.001), "optimizer": .text("adamw"), "pretrained": .flag(false)])
        let json = try document.jsonText()
        for key in [
            #""flopsPerSample" : 76800"#, #""startupSeconds" : 5.9"#, #""startupJoules" : 26.5"#, #""trainingJoules" : 13.5"#,
            #""optimizer" : "adamw""#, #""pretrained" : false"#,
        ] {
            #expect(json.contains(key), "\(key) missing from \(json)")
        }
        // The document reads back from its own JSON.
        let decoded = try JSONDecoder().decode(RunDocument.self, from: Data(json.utf8))
        #expect(decoded.extraFacts == document.extraFacts && decoded.energy?.trainingJoules == 13.5)
    }

    @Test func aRunWithoutThemHasNoneOfTheNewKeysAndTrainsOnItsWholeEnergy() throws {
        let document = try Self.document { run in
            run.energyJoules = 40
            run.energyProvenance = .measured
            run.wallSeconds = 8
        }
        #expect(document.trainingEnergyJoules == 40)
        let json = try document.jsonText()
        for key in ["flopsPerSample", "startupSeconds", "startupJoules", "trainingJoules", "extraFacts"] {
            #expect(!json.contains(key), "\(key) in \(json)")
        }
    }

    @Test func aRunWithoutEnergyHasNoTrainingEnergy() throws {
        let document = try Self.document { run in run.startupSeconds = 2 }
        #expect(document.trainingEnergyJoules == nil)
        #expect(document.startupSeconds == 2)
    }

    @Test func extraFactValuesDecodeAsTheirJSONTypes() throws {
        let facts = try JSONDecoder().decode([String: ExtraFact].self, from: Data(#"{"a":1,"b":true,"c":"x","d":2.5}"#.utf8))
        #expect(facts == ["a": .number(1), "b": .flag(true), "c": .text("x"), "d": .number(2.5)])
        #expect(facts["a"]?.description == "1" && facts["d"]?.description == "2.5" && facts["b"]?.description == "true")
    }
}
