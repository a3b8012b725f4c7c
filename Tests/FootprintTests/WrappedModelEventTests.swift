import Foundation
import RunStore
import Testing
import Vocabulary

@testable import Footprint

/// The `model`, `train_begin`, `result` and `tracking` lines, and the extra facts kept from
/// model, epoch and result lines: every value checked, every refusal giving its reason.
@Suite struct WrappedModelEventTests {
    private func refused(_ line: String) -> String? {
        guard case .failure(let error) = ProgramEvent.parse(line) else { return nil }
        return error.problem
    }

    @Test func aModelLineGivesItsNameParametersAndFlopsPerSample() {
        #expect(
            ProgramEvent.parse(#"{"event":"model","name":"mlp-256","parameters":19210,"flops_per_sample":76800}"#)
                == .success(.model(ModelFacts(name: "mlp-256", parameters: 19_210, flopsPerSample: 76_800))))
        #expect(
            ProgramEvent.parse(#"{"event":"model","name":"mlp","parameters":0}"#)
                == .success(.model(ModelFacts(name: "mlp", parameters: 0))))
        // The limits themselves are accepted.
        let largest = #"{"event":"model","name":"big","parameters":1e15,"flops_per_sample":1e18}"#
        #expect(
            ProgramEvent.parse(largest)
                == .success(.model(ModelFacts(name: "big", parameters: 1_000_000_000_000_000, flopsPerSample: 1_000_000_000_000_000_000))))
    }

    @Test func aModelLineWithoutAUsableNameOrParameterCountIsRefusedSayingWhy() {
        let cases: [(line: String, reason: String)] = [
            (#"{"event":"model","parameters":10}"#, #"a model event needs a "name""#),
            (#"{"event":"model","name":"","parameters":10}"#, #"a model event needs a "name""#),
            (#"{"event":"model","name":3,"parameters":10}"#, #"a model event needs a "name""#),
            (#"{"event":"model","name":"mlp"}"#, #"a model event needs "parameters""#),
            (
                #"{"event":"model","name":"mlp","parameters":"19210"}"#,
                #""parameters" must be a whole number from 0 to 1e+15, not the string"#
            ),
            (#"{"event":"model","name":"mlp","parameters":true}"#, #""parameters" must be a whole number from 0 to 1e+15, not true"#),
            (#"{"event":"model","name":"mlp","parameters":-1}"#, #""parameters" must be a whole number from 0 to 1e+15, not -1"#),
            (#"{"event":"model","name":"mlp","parameters":2.5}"#, #""parameters" must be a whole number"#),
            (#"{"event":"model","name":"mlp","parameters":1e16}"#, #""parameters" must be a whole number from 0 to 1e+15, not 1e+16"#),
            (
                #"{"event":"model","name":"mlp","parameters":1,"flops_per_sample":1e19}"#,
                #""flops_per_sample" must be a whole number from 0 to 1e+18"#
            ),
            (#"{"event":"model","name":"mlp","parameters":1,"flops_per_sample":-3}"#, #""flops_per_sample" must be a whole number"#),
        ]
        for (line, reason) in cases {
            let problem = refused(line)
            #expect(problem?.contains(reason) == true, "\(line): \(problem ?? "accepted")")
        }
        let long = String(repeating: "m", count: EventLimits.modelNameCharacters + 1)
        #expect(refused(#"{"event":"model","parameters":1,"name":""# + long + #""}"#)?.contains("at most 200 characters, not 201") == true)
    }

    @Test func flopsPerSampleOfTheWrongTypeIsDroppedAloudAndTheModelKept() {
        var warnings: [String] = []
        let parsed = ProgramEvent.parse(#"{"event":"model","name":"mlp","parameters":5,"flops_per_sample":"many"}"#) { warnings.append($0) }
        #expect(parsed == .success(.model(ModelFacts(name: "mlp", parameters: 5))))
        #expect(warnings == [#"model: "flops_per_sample" was dropped: it must be a number, not the string "many""#])
    }

    @Test func trainBeginNeedsNothingElse() {
        #expect(ProgramEvent.parse(#"{"event":"train_begin"}"#) == .success(.trainBegin))
        #expect(ProgramEvent.parse(#"{"event":"train_begin","at":3}"#) == .success(.trainBegin))
    }

    @Test func aResultLineHasAnEpochsKeysAndDomainsWithoutAnIndex() {
        #expect(
            ProgramEvent.parse(#"{"event":"result","accuracy":0.958,"val_loss":0.29}"#)
                == .success(.result(QualityMetrics(validationLoss: 0.29, accuracy: 0.958))))
        #expect(ProgramEvent.parse(#"{"event":"result"}"#) == .success(.result(QualityMetrics())))
        #expect(refused(#"{"event":"result","accuracy":95.8}"#)?.contains("0.93 for 93 %") == true)
        #expect(refused(#"{"event":"result","r2":2}"#)?.contains(#""r2" must be an R²"#) == true)
        var warnings: [String] = []
        let parsed = ProgramEvent.parse(#"{"event":"result","loss":"low","mse":0.5}"#) { warnings.append($0) }
        #expect(parsed == .success(.result(QualityMetrics(mse: 0.5))))
        #expect(warnings == [#"result: "loss" was dropped: it must be a number, not the string "low""#])
    }

    @Test func aTrackingLineNeedsARunIDAndKeepsAUsableURI() {
        #expect(
            ProgramEvent.parse(#"{"event":"tracking","mlflow_run_id":"abc123","mlflow_tracking_uri":"http://127.0.0.1:5000"}"#)
                == .success(.tracking(mlflowRunID: "abc123", mlflowTrackingURI: "http://127.0.0.1:5000")))
        #expect(
            ProgramEvent.parse(#"{"event":"tracking","mlflow_run_id":"abc123"}"#)
                == .success(.tracking(mlflowRunID: "abc123", mlflowTrackingURI: nil)))
        #expect(refused(#"{"event":"tracking"}"#)?.contains(#"needs an "mlflow_run_id""#) == true)
        #expect(refused(#"{"event":"tracking","mlflow_run_id":7}"#)?.contains(#"needs an "mlflow_run_id""#) == true)
        let longID = String(repeating: "a", count: EventLimits.trackingRunIDCharacters + 1)
        #expect(refused(#"{"event":"tracking","mlflow_run_id":""# + longID + #""}"#)?.contains("at most 200 characters") == true)
        var warnings: [String] = []
        let parsed = ProgramEvent.parse(#"{"event":"tracking","mlflow_run_id":"abc","mlflow_tracking_uri":5}"#) { warnings.append($0) }
        #expect(parsed == .success(.tracking(mlflowRunID: "abc", mlflowTrackingURI: nil)))
        #expect(warnings.count == 1 && warnings[0].contains(#""mlflow_tracking_uri" was dropped"#))
    }

    @Test func unknownKeysOfModelEpochAndResultLinesAreKeptAsExtraFacts() {
        let epoch = ProgramEvent.parse(#"{"event":"epoch","index":1,"loss":0.3,"lr":0.001,"optimizer":"adamw","amp":true,"note":null}"#)
        #expect(
            epoch
                == .success(
                    .epoch(
                        EpochMetrics(index: 1, trainLoss: 0.3),
                        extraFacts: ["lr": .number(0.001), "optimizer": .text("adamw"), "amp": .flag(true)])))
        #expect(
            ProgramEvent.parse(#"{"event":"model","name":"m","parameters":1,"framework":"torch"}"#)
                == .success(.model(ModelFacts(name: "m", parameters: 1), extraFacts: ["framework": .text("torch")])))
        #expect(
            ProgramEvent.parse(#"{"event":"result","accuracy":0.9,"test_f1":0.88}"#)
                == .success(.result(QualityMetrics(accuracy: 0.9), extraFacts: ["test_f1": .number(0.88)])))
        // A result's index and samples are an epoch's keys, not facts.
        #expect(ProgramEvent.parse(#"{"event":"result","index":3,"samples":10}"#) == .success(.result(QualityMetrics())))
    }

    @Test func extraFactsThatCannotBeKeptAreDroppedWithAWarningNeverTheLine() {
        var warnings: [String] = []
        let longKey = String(repeating: "k", count: ExtraFact.maximumKeyLength + 1)
        let longText = String(repeating: "t", count: ExtraFact.maximumTextLength + 1)
        let line = #"{"event":"epoch","index":2,"grid":[1,2],"cfg":{"a":1},""# + longKey + #"":1,"desc":""# + longText + #"","ok":1}"#
        let parsed = ProgramEvent.parse(line) { warnings.append($0) }
        #expect(parsed == .success(.epoch(EpochMetrics(index: 2), extraFacts: ["ok": .number(1)])))
        #expect(warnings.count == 4)
        #expect(warnings.contains { $0.contains(#""grid" was dropped: it must be a number, a string or a boolean, not an array"#) })
        #expect(warnings.contains { $0.contains(#""cfg" was dropped"#) && $0.contains("an object") })
        #expect(warnings.contains { $0.contains("a key is at most 100 characters") })
        #expect(warnings.contains { $0.contains(#""desc" was dropped: a string is at most 1000 characters, not 1001"#) })
    }

    @Test func aLineKeepsAtMostSixtyFourExtraFactsAndCountsTheRestOnce() {
        let pairs = (0..<70).map { String(format: #""k%02d":%d"#, $0, $0) }.joined(separator: ",")
        var warnings: [String] = []
        guard
            case .success(.epoch(_, let facts)) = ProgramEvent.parse(
                #"{"event":"epoch","index":1,"# + pairs + "}", warn: { warnings.append($0) })
        else {
            Issue.record("the line was refused")
            return
        }
        #expect(facts.count == 64 && facts["k00"] == .number(0) && facts["k63"] == .number(63) && facts["k64"] == nil)
        #expect(warnings == ["epoch 1: 6 more keys were dropped: a run keeps at most 64 extra facts"])
    }

    @Test func anUnknownEventNamesTheOnesExpected() {
        #expect(
            refused(#"{"event":"begin"}"#)
                == #"unknown event "begin" (expected "epoch", "phase", "model", "train_begin", "result" or "tracking")"#)
    }

    @Test func theFactsOfARunKeepTheLastValueAndAtMostSixtyFourKeys() {
        var facts = WrappedProgramFacts()
        facts.keep(["lr": .number(0.1)])
        facts.keep(["lr": .number(0.01), "optimizer": .text("sgd")])
        #expect(facts.extraFacts == ["lr": .number(0.01), "optimizer": .text("sgd")])
        facts.keep(Dictionary(uniqueKeysWithValues: (0..<70).map { (String(format: "k%02d", $0), ExtraFact.number(Double($0))) }))
        #expect(facts.extraFacts.count == 64)
        #expect(facts.extraFactsNotKept == 8)
        #expect(facts.notes == ["8 extra facts were not kept: a run keeps at most 64"])
        // A key already kept still takes a new value.
        facts.keep(["lr": .number(0.5)])
        #expect(facts.extraFacts["lr"] == .number(0.5))
    }

    @Test func theFinalQualityIsTheResultsElseTheLastEpochsAndFlopsAreFlopsPerSampleTimesSamples() {
        var facts = WrappedProgramFacts()
        facts.observeEpoch(EpochMetrics(index: 1, trainLoss: 0.9, accuracy: 0.5, samples: 1_000))
        facts.observeEpoch(EpochMetrics(index: 2, trainLoss: 0.4, validationLoss: 0.5, accuracy: 0.8, samples: 1_000))
        facts.observeEpoch(EpochMetrics(index: 3, samples: 437))
        #expect(facts.finalQuality == QualityMetrics(trainLoss: 0.4, validationLoss: 0.5, accuracy: 0.8, split: .validation))
        facts.result = QualityMetrics(accuracy: 0.958)
        // The epochs held data out (a validation loss), so the result's accuracy is a held-out one.
        #expect(facts.finalQuality == QualityMetrics(accuracy: 0.958, split: .validation))
        var trainingOnly = WrappedProgramFacts()
        trainingOnly.observeEpoch(EpochMetrics(index: 1, trainLoss: 0.9, accuracy: 0.5))
        trainingOnly.result = QualityMetrics(accuracy: 0.6)
        #expect(trainingOnly.finalQuality == QualityMetrics(accuracy: 0.6))
        facts.model = ModelFacts(name: "mlp", parameters: 19_210, flopsPerSample: 76_800)
        var record = RunRecord(name: "wrapped", kind: .wrap, startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: "h")
        facts.apply(to: &record)
        #expect(record.modelName == "mlp" && record.parameterCount == 19_210 && record.flopsPerSample == 76_800)
        #expect(record.samplesProcessed == 2_437 && record.flopsTotal == 76_800 * 2_437)
        #expect(record.extraFactsJSON == nil)
        #expect(ModelFacts(name: "x", parameters: 1, flopsPerSample: Int64.max).flopsTotal(samples: 2) == nil)
        #expect(ModelFacts(name: "x", parameters: 1).flopsTotal(samples: 2) == nil)
    }
}
