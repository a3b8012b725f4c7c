import Vocabulary

/// Finds a dataset by the name a user types after `--dataset`.
///
/// Specs: a built-in name (`seed-regression`, `seed-classification`, `terrain`, `digits`),
/// `csv:PATH` for a CSV file, or `idx:IMAGES,LABELS` for an IDX pair such as MNIST.
///
///     let terrain = try DatasetCatalog.load("terrain")
///     let houses = try DatasetCatalog.load("csv:houses.csv", labelColumn: "price", task: .regression)
public enum DatasetCatalog {
    /// The names of the datasets built into the library, in the order to list them.
    public static let builtInNames = ["seed-regression", "seed-classification", "terrain", "digits"]

    /// Loads the dataset `spec` names.
    ///
    /// - Parameters:
    ///   - spec: A built-in name, `csv:PATH` or `idx:IMAGES,LABELS`.
    ///   - labelColumn: For CSV, the label column's name (default: the last column). Ignored
    ///     by the other kinds.
    ///   - task: For CSV, regression, classification or `.automatic`. Ignored by the others,
    ///     whose task is fixed.
    /// - Returns: The dataset, with its evaluation policy and source.
    /// - Throws: `LearningError.unknownDataset` for a name that is none of these (see
    ///   `suggestion(for:)`), `LearningError.malformedFile` for a file that cannot be loaded.
    public static func load(_ spec: String, labelColumn: String? = nil, task: TaskHint = .automatic) throws -> Dataset {
        switch spec {
        case "seed-regression": return try SeedDatasets.makeRegression()
        case "seed-classification": return try SeedDatasets.makeClassification()
        case "terrain": return try TerrainProfile.makeDataset()
        case "digits": return try DigitsDataset.makeDataset()
        default: break
        }
        if spec.hasPrefix("csv:") {
            let path = String(spec.dropFirst(4))
            guard !path.isEmpty else { throw LearningError.unknownDataset(name: spec, known: builtInNames) }
            return try CSVLoader.load(path: path, labelColumn: labelColumn, task: task).dataset
        }
        if spec.hasPrefix("idx:") {
            guard let (images, labels) = idxPaths(String(spec.dropFirst(4))) else {
                throw LearningError.unknownDataset(name: spec, known: builtInNames)
            }
            return try IDXLoader.load(imagesPath: images, labelsPath: labels)
        }
        throw LearningError.unknownDataset(name: spec, known: builtInNames)
    }

    /// The built-in name or prefix a user probably meant by `spec`, for a "did you mean" hint
    /// after `LearningError.unknownDataset`; `nil` when nothing is close.
    ///
    /// - Parameter spec: What the user typed.
    /// - Returns: For example `"digits"` for `"digit"`, `"csv:data.csv"` for `"data.csv"`.
    public static func suggestion(for spec: String) -> String? {
        let lowered = spec.lowercased()
        if builtInNames.contains(lowered) { return lowered }
        if let name = NameSuggestion.closest(to: spec, among: builtInNames) { return name }
        if lowered.hasSuffix(".csv") { return "csv:\(spec)" }
        if lowered.contains("idx") || lowered.contains("ubyte"), !lowered.hasPrefix("idx:") {
            return "idx:IMAGES,LABELS"
        }
        return nil
    }

    /// Splits `IMAGES,LABELS`. A path may itself hold a comma, so the first split at which both
    /// files exist wins; failing that, the first comma (the loader then names the missing file).
    static func idxPaths(_ text: String) -> (images: String, labels: String)? {
        let commas = text.indices.filter { text[$0] == "," }
        let splits = commas.map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
            .filter { !$0.0.isEmpty && !$0.1.isEmpty }
        if splits.count > 1, let existing = splits.first(where: { isFile($0.0) && isFile($0.1) }) {
            return existing
        }
        return splits.first
    }

    private static func isFile(_ path: String) -> Bool {
        DataFile.isRegularFile(path)
    }
}
