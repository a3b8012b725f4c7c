import Testing

@testable import Learning

/// A trainer checks its configuration once, when it is created, and trains the network its
/// summary describes.
@Suite struct TrainerSetupTests {
    @Test func aConfigurationThatDoesNotFitTheDatasetIsRefusedWhenTheTrainerIsCreated() throws {
        let classification = try TrainerTests.seedClassification()
        #expect(throws: LearningError.self) {
            _ = try Trainer(configuration: TrainingConfiguration(model: .polynomial(degree: 2)), dataset: classification)
        }
        #expect(throws: LearningError.self) {
            _ = try Trainer(
                configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), epochs: 0), dataset: classification)
        }
    }

    @Test func theSummaryIsTheTrainedModels() throws {
        let trainer = try Trainer(
            configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 8), epochs: 2, batchSize: 5, learningRate: 0.05),
            dataset: TrainerTests.seedClassification())
        #expect(trainer.summary.name == "mlp:2-8-3")
        #expect(trainer.summary.parameters == 2 * 8 + 8 + 8 * 3 + 3)
        let result = try trainer.train()
        #expect(result.summary == trainer.summary)
        let polynomial = try Trainer(
            configuration: TrainingConfiguration(model: .polynomial(degree: 3)), dataset: TrainerTests.seedRegression())
        #expect(polynomial.summary.name == "poly:3" && polynomial.summary.parameters == 4)
        #expect(try polynomial.train().summary == polynomial.summary)
    }

    @Test func trainingTwiceStartsFromTheSameWeights() throws {
        let trainer = try Trainer(
            configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 8), epochs: 3, batchSize: 2, learningRate: 0.05),
            dataset: TrainerTests.seedRegression())
        let first = try trainer.train()
        let second = try trainer.train()
        #expect(first.epochs.map(\.facts.quality) == second.epochs.map(\.facts.quality))
        #expect(first.metrics == second.metrics)
    }

    @Test func anEpochsFactsCarryItsLedgerByPhase() throws {
        let result = try Trainer(
            configuration: TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), epochs: 2, batchSize: 5, learningRate: 0.05),
            dataset: TrainerTests.seedClassification()
        ).train()
        for epoch in result.epochs {
            let flops = try #require(epoch.facts.flops)
            #expect(flops.total == epoch.ledger.total)
            #expect(flops[.forward] == epoch.ledger.flops(in: .forward))
            #expect(epoch.facts.samples == 5)
            #expect(epoch.facts.quality.split == .train)
            #expect(epoch.facts.phaseSeconds != nil)
        }
        #expect(result.epochs.map(\.facts.index) == [1, 2])
    }
}
