/// A dataset read from a CSV file, with what `Dataset` has no room for: the class names.
public struct CSVDataset: Sendable {
    /// The samples, named `csv:PATH`, held out 20% by default.
    public var dataset: Dataset
    /// For classification, the label of class index `i` as written in the file (classes are
    /// numbered in sorted order); empty for regression.
    public var classNames: [String]

    /// Wraps a dataset and its class names.
    public init(dataset: Dataset, classNames: [String]) {
        self.dataset = dataset
        self.classNames = classNames
    }
}
