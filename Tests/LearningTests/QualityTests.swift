import Testing
@testable import Learning

/// The lecture's claims, checked on the built-in data: these are what the demo shows.
@Suite struct QualityTests {
    /// Bigger H fits the terrain better. Fewer epochs than the demo's 200 keep this fast in a
    /// debug build; the ordering already holds.
    @Test func terrainTrainingErrorFallsAsWidthGrowsFrom10To100To1000() throws {
        let terrain = try DatasetCatalog.load("terrain")
        let losses = try [10, 100, 1000].map { width in
            let configuration = TrainingConfiguration(
                model: .mlp(hiddenLayers: 1, hiddenWidth: width), epochs: 40, batchSize: 32, learningRate: 0.01)
            return try #require(Trainer(configuration: configuration, dataset: terrain).train().metrics.trainLoss)
        }
        #expect(losses[0] > losses[1] && losses[1] > losses[2], "training MSE by width: \(losses)")
    }

    @Test func digitsReachesAtLeast95PercentValidationAccuracyWithTheDefaults() throws {
        let digits = try DatasetCatalog.load("digits")
        // The defaults of `footprint train --dataset digits` (TrainingDefaults in Footprint).
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: 1, hiddenWidth: 64), epochs: 30, batchSize: 32, learningRate: 0.002)
        let result = try Trainer(configuration: configuration, dataset: digits).train()
        #expect(result.metrics.split == .validation)
        #expect(result.validationSampleCount == 359)
        #expect((result.metrics.accuracy ?? 0) >= 0.95, "validation accuracy \(result.metrics.accuracy ?? 0)")
    }

    @Test func cosineScheduleStartsAtTheRateAndEndsAtOneHundredth() {
        let schedule = LearningRateSchedule.cosine
        #expect(schedule.learningRate(base: 0.1, epoch: 1, epochs: 10) == 0.1)
        #expect(abs(schedule.learningRate(base: 0.1, epoch: 10, epochs: 10) - 0.001) < 1e-12)
        #expect(LearningRateSchedule.constant.learningRate(base: 0.1, epoch: 7, epochs: 10) == 0.1)
    }
}
