/// Everything that can go wrong in the training library, with the context a user needs to act.
public enum LearningError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A data file could not be read or parsed. `location` is "line 12", "byte 16" and so on.
    case malformedFile(path: String, location: String, problem: String)
    /// A dataset's contents are inconsistent.
    case invalidDataset(name: String, reason: String)
    /// A hyper-parameter is outside what the model accepts. `name` is the parameter as the API
    /// spells it (`learningRate`, `batchSize`), so a front end can show its own spelling
    /// through `renamingParameter(_:)`.
    case invalidHyperparameter(name: String, value: String, allowed: String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, step: Int, learningRate: Double)
    /// A least-squares problem has no unique solution.
    case underdetermined(reason: String)
    /// An unknown built-in dataset name.
    case unknownDataset(name: String, known: [String])
    /// Training was asked to stop (Ctrl-C, SIGTERM) during `epoch`.
    case interrupted(epoch: Int)

    /// True for `.interrupted`: training stopped on request, not because something failed.
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }

    /// The parameter an `.invalidHyperparameter` names, else nil.
    public var parameterName: String? {
        if case let .invalidHyperparameter(name, _, _) = self { return name }
        return nil
    }

    /// The same error with its parameter renamed, so a command line can say `--lr` where the
    /// library says `learningRate`.
    ///
    /// - Parameter spelling: The front end's name for a parameter, or nil to keep the library's.
    /// - Returns: The error with the renamed parameter; any other error unchanged.
    public func renamingParameter(_ spelling: (String) -> String?) -> LearningError {
        guard case let .invalidHyperparameter(name, value, allowed) = self, let renamed = spelling(name) else { return self }
        return .invalidHyperparameter(name: renamed, value: value, allowed: allowed)
    }

    public var description: String {
        switch self {
        case let .malformedFile(path, location, problem):
            return "\(path), \(location): \(problem)"
        case let .invalidDataset(name, reason):
            return "Dataset '\(name)' is invalid: \(reason)."
        case let .invalidHyperparameter(name, value, allowed):
            return "Invalid \(name) \(value): \(allowed)."
        case let .nonFiniteLoss(epoch, step, learningRate):
            return "The loss became NaN or infinite at epoch \(epoch), step \(step). "
                + "Training diverged: try a smaller learning rate than \(learningRate) (for example \(learningRate / 10)), or standardise the data."
        case let .underdetermined(reason):
            return "The least-squares problem has no unique solution: \(reason)."
        case let .interrupted(epoch):
            return "Training was interrupted during epoch \(epoch); the epochs before it are complete."
        case let .unknownDataset(name, known):
            return "Unknown dataset '\(name)'. Known: \(known.joined(separator: ", ")), csv:PATH, idx:IMAGES,LABELS."
        }
    }
}
