import ArgumentParser
import Learning

// Closed sets of values are enums, so argument-parser lists them in `--help` ("values: poly,
// mlp") and in the error for anything else ("Please provide one of 'poly' and 'mlp'").

/// `train --model`: which kind of model to fit.
enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    case poly
    case mlp
}

/// `--optimizer` of `train` and `estimate`.
enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case sgd
    case adam

    /// The optimizer with its settings: SGD with `momentum`, Adam with the paper's defaults.
    func kind(momentum: Double) -> OptimizerKind {
        switch self {
        case .sgd: .sgd(momentum: momentum)
        case .adam: .adamDefault
        }
    }
}

/// `estimate --calibrate`: where the machine's throughput and joules per FLOP come from.
enum CalibrationSource: String, ExpressibleByArgument, CaseIterable {
    /// A short run of our kernel now.
    case measure
    /// The last completed training runs in the store.
    case store
}

/// `train --task` for a CSV file.
extension TaskHint: ExpressibleByArgument {}
