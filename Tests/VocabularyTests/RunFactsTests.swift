import Foundation
import Testing
import Vocabulary

/// The run facts keep the JSON shape run documents and `--json` have always had.
@Suite struct RunFactsTests {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func qualityMetricsEncodeUnderTheirStoredNamesAndTheSplitAsEvaluatedOn() throws {
        let metrics = QualityMetrics(trainLoss: 0.5, accuracy: 0.25, split: .validation)
        #expect(try json(metrics) == #"{"accuracy":0.25,"evaluatedOn":"validation","trainLoss":0.5}"#)
        let training = QualityMetrics(mse: 2, r2: 0.5, split: .train)
        #expect(try json(training) == #"{"evaluatedOn":"training","mse":2,"r2":0.5}"#)
        #expect(try json(QualityMetrics()) == "{}")
    }

    @Test func qualityMetricsDecodeWhatTheyEncodeAndIgnoreOtherKeys() throws {
        let metrics = QualityMetrics(trainLoss: 1, validationLoss: 2, accuracy: 0.5, mse: 3, r2: 0.25, split: .train)
        let data = try JSONEncoder().encode(metrics)
        #expect(try JSONDecoder().decode(QualityMetrics.self, from: data) == metrics)
        let row = Data(#"{"epoch":3,"joules":1.5,"trainLoss":0.5,"evaluatedOn":"somewhere"}"#.utf8)
        #expect(try JSONDecoder().decode(QualityMetrics.self, from: row) == QualityMetrics(trainLoss: 0.5))
    }

    @Test func eachMetricIsStoredOnTheSplitItWasComputedOn() {
        let metrics = QualityMetrics(trainLoss: 1, validationLoss: 2, accuracy: 0.5, split: .validation)
        #expect(metrics.split(of: .trainLoss) == .train)
        #expect(metrics.split(of: .validationLoss) == .validation)
        #expect(metrics.split(of: .accuracy) == .validation)
        #expect(metrics.split(of: .coefficient(0)) == .train)
        #expect(QualityMetrics(mse: 1).split(of: .mse) == .train)
    }

    @Test func splitsNameTheDataAsRunDocumentsDo() {
        #expect(MetricSplit.train.rawValue == "train" && MetricSplit.train.evaluatedOn == "training")
        #expect(MetricSplit.validation.rawValue == "validation" && MetricSplit.validation.evaluatedOn == "validation")
        #expect(MetricSplit(evaluatedOn: "training") == .train)
        #expect(MetricSplit(evaluatedOn: "train") == nil)
    }

    @Test func phaseFlopsKeepTheirFourKeysAndSumEveryPhase() throws {
        var flops = PhaseFlops(forward: 1, backward: 2, optimizer: 3, evaluation: 4)
        #expect(flops.total == 10)
        #expect(try json(flops) == #"{"backward":2,"evaluation":4,"forward":1,"optimizer":3}"#)
        let decoded = try JSONDecoder().decode(
            PhaseFlops.self, from: Data(#"{"forward":1,"backward":2,"optimizer":3,"evaluation":4}"#.utf8))
        #expect(decoded == flops)
        flops[.data] = 5
        #expect(flops.total == 15)
        #expect(try JSONDecoder().decode(PhaseFlops.self, from: try JSONEncoder().encode(flops)) == flops)
    }

    @Test func phaseSecondsMeasureIntoTheirPhaseAndSumEveryPhase() {
        var seconds = PhaseSeconds()
        seconds[.data] = 0.25
        seconds[.evaluation] = 0.5
        let value = seconds.measure(.forward) { 7 }
        #expect(value == 7)
        #expect(seconds[.forward] >= 0 && seconds[.backward] == 0)
        #expect(seconds.total == 0.75 + seconds[.forward])
    }

    @Test func phasesKeepTheirNamesAndOrder() {
        #expect(Phase.allCases.map(\.description) == ["data", "forward", "backward", "optimizer", "evaluation"])
        #expect(Phase.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
    }
}
