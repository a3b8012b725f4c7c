import Testing
@testable import Learning

@Suite struct TrainerTests {
    /// The lecture's 3-class example, built here so these tests do not depend on the catalogue.
    static func seedClassification() throws -> Dataset {
        try Dataset(
            name: "seed-classification",
            features: Tensor([[1.2, -3.4], [2.3, 2.8], [-0.7, 1.2], [3.2, -0.4], [-1.3, 2.3]]),
            targets: Tensor([[0], [0], [1], [1], [2]]), task: .classification(classCount: 3),
            evaluationPolicy: .trainOnAll)
    }

    static func seedRegression() throws -> Dataset {
        try Dataset(
            name: "seed-regression", features: Tensor([[-3.1], [1.2], [4.3], [6.2], [9.1]]),
            targets: Tensor([[23.7], [31.3], [79.9], [101.9], [205.5]]), task: .regression, evaluationPolicy: .trainOnAll)
    }

    @Test func mlpReachesFullTrainingAccuracyOnTheLectureClassifier() throws {
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: 1, hiddenWidth: 16), epochs: 200, batchSize: 5, learningRate: 0.05)
        let result = try Trainer(configuration: configuration, dataset: Self.seedClassification()).train()
        #expect(result.metrics.accuracy == 1.0)
        #expect(result.metrics.split == .train)
        #expect(result.metrics.validationLoss == nil)
        #expect(result.epochs.count == 200)
        let firstLoss = try #require(result.epochs.first?.facts.quality.trainLoss)
        #expect(try #require(result.metrics.trainLoss) < firstLoss)
    }

    @Test func sameSeedGivesBitIdenticalResults() throws {
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: 2, hiddenWidth: 12), epochs: 20, batchSize: 2, learningRate: 0.01, seed: 7)
        let first = try Trainer(configuration: configuration, dataset: Self.seedRegression()).train()
        var twoThreads = configuration
        twoThreads.threads = 2
        let second = try Trainer(configuration: twoThreads, dataset: Self.seedRegression()).train()
        #expect(first.epochs.map(\.facts.quality.trainLoss) == second.epochs.map(\.facts.quality.trainLoss))
        #expect(first.metrics.mse == second.metrics.mse)
        var otherSeed = configuration
        otherSeed.seed = 8
        let third = try Trainer(configuration: otherSeed, dataset: Self.seedRegression()).train()
        #expect(third.metrics.mse != first.metrics.mse)
    }

    @Test func divergingLossStopsWithEpochStepAndAdvice() throws {
        let configuration = TrainingConfiguration(
            model: .mlp(hiddenLayers: 1, hiddenWidth: 32), epochs: 50, batchSize: 1, learningRate: 1e6, optimizer: .sgd(momentum: 0.9))
        let recorded = EpochCounter()
        let hooks = TrainingHooks(epochDidEnd: { _ in recorded.increment() })
        do {
            _ = try Trainer(configuration: configuration, dataset: Self.seedRegression()).train(hooks: hooks)
            Issue.record("training with lr 1e6 should diverge")
        } catch let error as LearningError {
            guard case let .nonFiniteLoss(epoch, step, learningRate) = error else { Issue.record("wrong error \(error)"); return }
            #expect(epoch >= 1 && step >= 1 && learningRate == 1e6)
            #expect(recorded.value == epoch - 1)  // earlier epochs were reported, so they can be kept
            #expect("\(error)".contains("smaller learning rate"))
        }
    }

    @Test func stopRequestEndsTrainingAsInterrupted() throws {
        let configuration = TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), epochs: 10, batchSize: 1)
        let counter = EpochCounter()
        let hooks = TrainingHooks(epochDidEnd: { _ in counter.increment() }, shouldStop: { counter.value >= 2 })
        #expect(throws: LearningError.interrupted(epoch: 3)) {
            _ = try Trainer(configuration: configuration, dataset: Self.seedRegression()).train(hooks: hooks)
        }
    }

    @Test func invalidHyperparametersSayWhatIsAllowed() throws {
        let dataset = try Self.seedRegression()
        let cases: [TrainingConfiguration] = [
            TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 0)),
            TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), epochs: 0),
            TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), batchSize: -3),
            TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), learningRate: 0),
            TrainingConfiguration(model: .mlp(hiddenLayers: -1, hiddenWidth: 4)),
        ]
        for configuration in cases {
            #expect(throws: LearningError.self) { try configuration.validate(for: dataset) }
        }
        #expect(throws: LearningError.self) {
            try TrainingConfiguration(model: .polynomial(degree: 2)).validate(for: Self.seedClassification())
        }
    }

    @Test func polynomialModelReportsCoefficientsAndItsOwnFlops() throws {
        let result = try Trainer(configuration: TrainingConfiguration(model: .polynomial(degree: 2)), dataset: Self.seedRegression())
            .train()
        let coefficients = try #require(result.coefficients)
        #expect(abs(coefficients[2] - 1.6862779086028872) < 1e-4)
        #expect(result.summary.parameters == 3)
        #expect(result.flops.flops(in: .optimizer) > 0 && result.flops.flops(in: .forward) > 0)
        #expect(result.flops.flops(in: .backward) == 0)
        #expect((result.metrics.r2 ?? 0) > 0.9)
    }

    @Test func regressionMetricsAreInTheTargetsUnits() throws {
        // Targets around 10⁴: an MSE on standardised targets would be far below 1.
        let xs = (0..<50).map { Float($0) / 10 }
        let dataset = try Dataset(
            name: "line", features: Tensor(xs.map { [$0] }), targets: Tensor(xs.map { [10_000 + 3_000 * $0] }), task: .regression,
            evaluationPolicy: .holdOut(fraction: 0.2))
        let result = try Trainer(
            configuration: TrainingConfiguration(
                model: .mlp(hiddenLayers: 0, hiddenWidth: 0), epochs: 300, batchSize: 8, learningRate: 0.05),
            dataset: dataset
        ).train()
        #expect(result.metrics.split == .validation)
        #expect(result.validationSampleCount == 10 && result.trainingSampleCount == 40)
        #expect((result.metrics.r2 ?? 0) > 0.999)
        #expect((result.metrics.mse ?? .infinity) < 1_000)  // a few tens of units off at most
        let validationLoss = try #require(result.metrics.validationLoss)
        #expect(abs(validationLoss - (result.metrics.mse ?? 0)) <= 1e-3 * max(validationLoss, 1))
    }
}

/// A thread-safe counter for hooks, which are `@Sendable`.
final class EpochCounter: @unchecked Sendable {
    // Guarded by `lock`: hooks may run on the training thread while a test reads.
    private let lock = NSLockish()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

import Synchronization
final class NSLockish: Sendable {
    private let mutex = Mutex(())
    func withLock<T>(_ body: () -> T) -> T { mutex.withLock { _ in body() } }
}
