import Learning
import Testing

@Suite struct TrainingDefaultsConfigurationTests {
    let adamDefaults = TrainingDefaults(hiddenLayers: 2, hiddenWidth: 10, epochs: 500, batchSize: 5, learningRate: 0.02)
    let sgdDefaults = TrainingDefaults(
        hiddenLayers: 1, hiddenWidth: 8, epochs: 40, batchSize: 16, learningRate: 0.05, optimizer: .sgd(momentum: 0.5))

    @Test func whatTheChoicesLeaveOutTakesTheDatasetsDefaults() {
        let configuration = adamDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil), seed: 7, threads: 3))
        #expect(configuration.model == .mlp(hiddenLayers: 2, hiddenWidth: 10))
        #expect(configuration.epochs == 500)
        #expect(configuration.batchSize == 5)
        #expect(configuration.learningRate == 0.02)
        #expect(configuration.optimizer == .adamDefault)
        #expect(configuration.seed == 7)
        #expect(configuration.threads == 3)
    }

    @Test func chosenValuesWinOverTheDefaults() {
        let configuration = adamDefaults.configuration(
            .init(
                model: .mlp(hiddenLayers: 3, hiddenWidth: 64), epochs: 9, batchSize: 32, learningRate: 0.1,
                optimizer: .sgd(momentum: 0.8)))
        #expect(configuration.model == .mlp(hiddenLayers: 3, hiddenWidth: 64))
        #expect(configuration.epochs == 9)
        #expect(configuration.batchSize == 32)
        #expect(configuration.learningRate == 0.1)
        #expect(configuration.optimizer == .sgd(momentum: 0.8))
    }

    @Test func aPolynomialFitsOnceUnlessEpochsAreChosen() {
        #expect(adamDefaults.configuration(.init(model: .polynomial(degree: 3))).epochs == 1)
        #expect(adamDefaults.configuration(.init(model: .polynomial(degree: 3))).model == .polynomial(degree: 3))
        #expect(adamDefaults.configuration(.init(model: .polynomial(degree: 3), epochs: 20)).epochs == 20)
    }

    @Test func sgdChosenOverAnotherDefaultOptimizerStartsFromItsOwnRate() {
        let chosen = adamDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil), optimizer: .sgd(momentum: 0.9)))
        #expect(chosen.learningRate == 0.01)
        // On a dataset whose default is SGD, its own rate stays.
        let same = sgdDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil), optimizer: .sgd(momentum: 0.9)))
        #expect(same.learningRate == 0.05)
    }

    @Test func theDatasetsSGDTakesTheChosenMomentumElseItsOwn() {
        let chosen = sgdDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil), momentum: 0.9))
        #expect(chosen.optimizer == .sgd(momentum: 0.9))
        let own = sgdDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil)))
        #expect(own.optimizer == .sgd(momentum: 0.5))
        // Momentum means nothing to the dataset's Adam.
        #expect(
            adamDefaults.configuration(.init(model: .mlp(hiddenLayers: nil, hiddenWidth: nil), momentum: 0.3)).optimizer == .adamDefault)
    }
}
