import Testing
import Vocabulary

@testable import RunStore

/// An epoch's facts meet the `epochs` and `metrics` columns in one place each.
@Suite struct EpochFactsRecordTests {
    @Test func anEpochsFactsFillTheirColumns() {
        var seconds = PhaseSeconds()
        for (index, phase) in Phase.allCases.enumerated() { seconds[phase] = Double(index + 1) / 4 }
        let facts = EpochFacts(
            index: 3, quality: QualityMetrics(trainLoss: 0.5, validationLoss: 0.75, accuracy: 0.25, mse: 2, r2: 0.125), samples: 64,
            flops: PhaseFlops(forward: 10, backward: 20, optimizer: 30, evaluation: 40), phaseSeconds: seconds)
        let row = EpochRecord(runID: 7, facts: facts)
        #expect(row.runID == 7 && row.epochIndex == 3)
        #expect(row.trainLoss == 0.5 && row.validationLoss == 0.75 && row.accuracy == 0.25 && row.mse == 2 && row.r2 == 0.125)
        #expect(row.samples == 64)
        #expect([row.flopsForward, row.flopsBackward, row.flopsOptimizer, row.flopsEvaluation] == [10, 20, 30, 40])
        #expect(
            [row.secondsData, row.secondsForward, row.secondsBackward, row.secondsOptimizer, row.secondsEvaluation] == [
                0.25, 0.5, 0.75, 1, 1.25,
            ])
        #expect(row.wallSeconds == nil && row.energyJoules == nil)
        #expect(row.facts == facts)
    }

    @Test func anEpochWithoutCountsLeavesItsColumnsEmpty() {
        let row = EpochRecord(runID: 1, facts: EpochFacts(index: 1, trainLoss: 0.5))
        #expect(row.flopsForward == nil && row.secondsData == nil && row.samples == nil && row.accuracy == nil)
        #expect(row.facts.flops == nil && row.facts.phaseSeconds == nil)
        var partial = row
        partial.flopsBackward = 5
        #expect(partial.facts.flops?.total == 5)
    }

    @Test func finalMetricsBecomeRowsOnTheirSplits() {
        let quality = QualityMetrics(trainLoss: 0.5, validationLoss: 0.75, accuracy: 0.9, split: .validation)
        let rows = MetricRecord.rows(runID: 4, quality: quality, coefficients: [1, 2])
        #expect(rows.map(\.name) == ["trainLoss", "validationLoss", "accuracy", "coefficient_0", "coefficient_1"])
        #expect(rows.map(\.split) == [.train, .validation, .validation, .train, .train])
        #expect(rows.allSatisfy { $0.runID == 4 })
        #expect(QualityMetrics(rows: rows) == quality)
        #expect(QualityMetrics(rows: MetricRecord.rows(runID: 4, quality: QualityMetrics(trainLoss: 1))).split == nil)
    }
}
