/// What a user says about the label column of a file they load, before its classes are known.
///
/// `TaskKind.classification` needs a class count, which only the file can tell; this says
/// only which kind of task to build.
public enum TaskHint: String, Sendable, CaseIterable {
    /// Decide from the labels: classification when any label is not a number, or when every
    /// label is an integer and there are at most `CSVLabelEncoder.automaticClassLimit` distinct
    /// values; regression otherwise.
    case automatic
    /// Labels are real numbers to predict.
    case regression
    /// Labels are class names (numbers or text), mapped to indices in sorted order.
    case classification
}
