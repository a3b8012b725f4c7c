extension TrainingDefaults {
    /// What a caller chose for a training (a command's flags): each value left nil takes the
    /// dataset's default.
    public struct Choices: Sendable, Equatable {
        /// The model a caller chose, its size left nil where the dataset's default applies.
        public enum Model: Sendable, Equatable {
            /// Polynomial regression of this degree.
            case polynomial(degree: Int)
            /// A multilayer perceptron of L hidden layers of width H.
            case mlp(hiddenLayers: Int?, hiddenWidth: Int?)
        }

        public var model: Model
        /// Passes over the training data (a polynomial: how many times the fit is repeated).
        public var epochs: Int?
        public var batchSize: Int?
        public var learningRate: Double?
        /// The optimizer with its settings; nil takes the dataset's.
        public var optimizer: OptimizerKind?
        /// SGD's momentum when the dataset's optimizer is SGD and ``optimizer`` is nil (nil: the
        /// dataset's own).
        public var momentum: Double?
        public var seed: UInt64
        public var threads: Int

        /// Creates choices; every value left out takes the dataset's default.
        ///
        /// - Parameters:
        ///   - model: Polynomial of a degree, or an MLP.
        ///   - epochs: Passes over the training data.
        ///   - batchSize: Samples per minibatch.
        ///   - learningRate: Step size η.
        ///   - optimizer: The optimizer with its settings.
        ///   - momentum: SGD's momentum for a dataset whose optimizer is SGD.
        ///   - seed: Seeds initialisation, split and shuffles.
        ///   - threads: Threads for the matrix kernel.
        public init(
            model: Model, epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil, optimizer: OptimizerKind? = nil,
            momentum: Double? = nil, seed: UInt64 = 42, threads: Int = 1
        ) {
            self.model = model
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.optimizer = optimizer
            self.momentum = momentum
            self.seed = seed
            self.threads = threads
        }
    }

    /// The configuration `choices` describe, with these defaults for what they leave out.
    ///
    /// A polynomial's fit runs once unless `epochs` says otherwise (its closed form needs no
    /// passes). SGD chosen on a dataset whose default optimizer is not SGD starts from a rate of
    /// 0.01, since the default rate was tuned for the other optimizer. The values are not
    /// checked here: the configuration's `validate()` and the trainer do that, once.
    ///
    /// - Parameter choices: What the caller chose.
    /// - Returns: The configuration.
    public func configuration(_ choices: Choices) -> TrainingConfiguration {
        let model: ModelSpec
        let isPolynomial: Bool
        switch choices.model {
        case .polynomial(let degree):
            model = .polynomial(degree: degree)
            isPolynomial = true
        case .mlp(let hiddenLayers, let hiddenWidth):
            model = .mlp(hiddenLayers: hiddenLayers ?? self.hiddenLayers, hiddenWidth: hiddenWidth ?? self.hiddenWidth)
            isPolynomial = false
        }
        let optimizer: OptimizerKind =
            switch (choices.optimizer, self.optimizer) {
            case (let chosen?, _): chosen
            case (nil, .sgd(let momentum)): .sgd(momentum: choices.momentum ?? momentum)
            case (nil, let own): own
            }
        let sgdOverOtherDefault: Bool =
            switch (choices.optimizer, self.optimizer) {
            case (.sgd?, .sgd): false
            case (.sgd?, _): true
            default: false
            }
        return TrainingConfiguration(
            model: model, epochs: choices.epochs ?? (isPolynomial ? 1 : epochs), batchSize: choices.batchSize ?? batchSize,
            learningRate: choices.learningRate ?? (sgdOverOtherDefault ? 0.01 : learningRate), optimizer: optimizer, seed: choices.seed,
            threads: choices.threads)
    }
}
