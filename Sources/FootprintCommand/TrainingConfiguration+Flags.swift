import ArgumentParser
import Learning

extension TrainingConfiguration {
    /// `train`'s flag for each parameter `validate()` can name; the rest (`optimizer`'s Adam
    /// settings, `evaluationPolicy`) have no flag and keep the library's name.
    static let flagNames: [String: String] = [
        "model": "--model",
        "degree": "--degree",
        "hiddenLayers": "--layers",
        "hiddenWidth": "--hidden",
        "epochs": "--epochs",
        "batchSize": "--batch-size",
        "learningRate": "--lr",
        "momentum": "--momentum",
        "threads": "--threads",
    ]

    /// Runs `check` (a validation of this configuration, or a trainer's, which validates it)
    /// and turns a `LearningError` into a usage error (exit 64) that names flags, not the
    /// library's parameters.
    ///
    /// - Returns: What `check` returns.
    /// - Throws: `ValidationError` with the error's sentence, its parameter spelled as a flag.
    static func withFlagNames<Checked>(_ check: () throws -> Checked) throws -> Checked {
        do {
            return try check()
        } catch let error as LearningError {
            throw ValidationError(error.renamingParameter { flagNames[$0] }.description)
        }
    }
}
