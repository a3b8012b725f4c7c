import Testing
@testable import Learning

/// `TrainingConfiguration.validate()` names each parameter as the API spells it, so front ends
/// can map the name to their own (the CLI's `--lr`).
@Suite struct TrainingConfigurationTests {
    /// The parameter named by the error `validate(for:)` throws, or nil when it passes.
    private func refusedParameter(_ configuration: TrainingConfiguration, for dataset: Dataset) throws -> String? {
        do {
            try configuration.validate(for: dataset)
            return nil
        } catch let error as LearningError {
            return error.parameterName ?? "no parameter in '\(error)'"
        }
    }

    @Test func eachOutOfRangeValueNamesItsParameter() throws {
        let mlp = ModelSpec.mlp(hiddenLayers: 1, hiddenWidth: 4)
        let cases: [(TrainingConfiguration, String)] = [
            (TrainingConfiguration(model: mlp, epochs: 0), "epochs"),
            (TrainingConfiguration(model: mlp, batchSize: -3), "batchSize"),
            (TrainingConfiguration(model: mlp, learningRate: 0), "learningRate"),
            (TrainingConfiguration(model: mlp, learningRate: .nan), "learningRate"),
            (TrainingConfiguration(model: mlp, learningRate: .infinity), "learningRate"),
            (TrainingConfiguration(model: mlp, threads: 0), "threads"),
            (TrainingConfiguration(model: mlp, threads: 257), "threads"),
            (TrainingConfiguration(model: mlp, optimizer: .sgd(momentum: 1)), "momentum"),
            (TrainingConfiguration(model: mlp, optimizer: .adam(beta1: 1, beta2: 0.999, epsilon: 1e-8)), "optimizer"),
            (TrainingConfiguration(model: mlp, evaluationPolicy: .holdOut(fraction: 1)), "evaluationPolicy"),
            (TrainingConfiguration(model: .mlp(hiddenLayers: -1, hiddenWidth: 4)), "hiddenLayers"),
            (TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 0)), "hiddenWidth"),
            (TrainingConfiguration(model: .polynomial(degree: -1)), "degree"),
            // Five distinct x values determine a degree of 4 at most.
            (TrainingConfiguration(model: .polynomial(degree: 5)), "degree"),
        ]
        let dataset = try TrainerTests.seedRegression()
        for (configuration, parameter) in cases {
            #expect(try refusedParameter(configuration, for: dataset) == parameter, "\(configuration)")
        }
        #expect(
            try refusedParameter(TrainingConfiguration(model: .polynomial(degree: 2)), for: TrainerTests.seedClassification()) == "model")
    }

    @Test func valuesInRangePass() throws {
        let dataset = try TrainerTests.seedRegression()
        for configuration in [
            TrainingConfiguration(model: .mlp(hiddenLayers: 0, hiddenWidth: 0), threads: 256),
            TrainingConfiguration(
                model: .mlp(hiddenLayers: 2, hiddenWidth: 1), epochs: 1, batchSize: 1, learningRate: 1e-9, optimizer: .sgd(momentum: 0)),
            TrainingConfiguration(model: .polynomial(degree: 4)),
        ] {
            #expect(try refusedParameter(configuration, for: dataset) == nil, "\(configuration)")
        }
    }

    @Test func dataIndependentChecksNeedNoDataset() {
        #expect(
            throws: LearningError.invalidHyperparameter(
                name: "learningRate", value: "-1.0", allowed: "must be a positive finite number such as 0.01")
        ) {
            try TrainingConfiguration(model: .polynomial(degree: 2), learningRate: -1).validate()
        }
        // A degree the data cannot determine is the dataset's business, not validate()'s.
        #expect(throws: Never.self) { try TrainingConfiguration(model: .polynomial(degree: 50)).validate() }
    }

    @Test func renamingChangesOnlyTheParameterOfAHyperparameterError() {
        let error = LearningError.invalidHyperparameter(name: "learningRate", value: "0.0", allowed: "must be positive")
        let renamed = error.renamingParameter { $0 == "learningRate" ? "--lr" : nil }
        #expect(renamed == .invalidHyperparameter(name: "--lr", value: "0.0", allowed: "must be positive"))
        #expect(renamed.description == "Invalid --lr 0.0: must be positive.")
        #expect(error.renamingParameter { _ in nil } == error)
        let other = LearningError.interrupted(epoch: 3)
        #expect(other.renamingParameter { _ in "--x" } == other)
        #expect(other.parameterName == nil)
    }
}
