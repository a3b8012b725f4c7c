import Vocabulary

/// Finds a dataset by the name a user types after `--dataset`.
///
/// Specs: a catalog name (the built-in `seed-regression`, `seed-classification`, `terrain`,
/// `digits`, and any ``register(_:)`` added), `csv:PATH` for a CSV file, or
/// `idx:IMAGES,LABELS` for an IDX pair such as MNIST. Each name is one ``Entry``: its help,
/// its loader and its default hyper-parameters.
///
///     let terrain = try DatasetCatalog.load("terrain")
///     let houses = try DatasetCatalog.load("csv:houses.csv", labelColumn: "price", task: .regression)
public enum DatasetCatalog {
    /// The names of the datasets built into the library, in the order to list them.
    public static let builtInNames = builtInEntries.map(\.name)

    /// Every named dataset: the built-in ones, then those registered, in order.
    public static var entries: [Entry] { builtInEntries + DatasetRegistry.shared.all }

    /// The names of ``entries``, in order.
    public static var names: [String] { entries.map(\.name) }

    /// The help of a `--dataset` option: every name, then the file forms
    /// (`seed-regression, seed-classification, terrain, digits, csv:PATH or idx:IMAGES,LABELS.`).
    public static var helpText: String {
        (names + ["csv:PATH"]).joined(separator: ", ") + " or idx:IMAGES,LABELS."
    }

    /// The entry called `name`, built-in or registered; `nil` for any other spec.
    ///
    /// - Parameter name: A catalog name such as `terrain`.
    /// - Returns: Its entry, or `nil`.
    public static func entry(named name: String) -> Entry? {
        builtInEntries.first { $0.name == name } ?? DatasetRegistry.shared.all.first { $0.name == name }
    }

    /// The hyper-parameters that train `spec` out of the box.
    ///
    /// - Parameter spec: A catalog name, `csv:PATH` or `idx:IMAGES,LABELS`.
    /// - Returns: The entry's defaults; ``TrainingDefaults/general`` for files and unknown names.
    public static func defaults(for spec: String) -> TrainingDefaults {
        entry(named: spec)?.defaults ?? .general
    }

    /// Adds a dataset to the catalog, for this process: from then on it loads by name, lists
    /// in ``helpText`` and ``names``, and has its defaults. Safe to call from any thread.
    ///
    /// - Parameter entry: The dataset. Its name must be new, non-empty and not start with
    ///   `csv:` or `idx:`.
    /// - Returns: `false`, registering nothing, when the name is taken or not allowed.
    @discardableResult
    public static func register(_ entry: Entry) -> Bool {
        let name = entry.name
        guard !name.isEmpty, !name.hasPrefix("csv:"), !name.hasPrefix("idx:"), !builtInNames.contains(name) else { return false }
        return DatasetRegistry.shared.add(entry) { name, registered in registered.contains { $0.name == name } }
    }

    /// Loads the dataset `spec` names.
    ///
    /// - Parameters:
    ///   - spec: A catalog name, `csv:PATH` or `idx:IMAGES,LABELS`.
    ///   - labelColumn: For CSV, the label column's name (default: the last column). Ignored
    ///     by the other kinds.
    ///   - task: For CSV, regression, classification or `.automatic`. Ignored by the others,
    ///     whose task is fixed.
    /// - Returns: The dataset, with its evaluation policy and source.
    /// - Throws: `LearningError.unknownDataset` for a name that is none of these (see
    ///   `suggestion(for:)`), `LearningError.malformedFile` for a file that cannot be loaded.
    public static func load(_ spec: String, labelColumn: String? = nil, task: TaskHint = .automatic) throws -> Dataset {
        if let entry = entry(named: spec) { return try entry.load() }
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

    /// The catalog name or prefix a user probably meant by `spec`, for a "did you mean" hint
    /// after `LearningError.unknownDataset`; `nil` when nothing is close.
    ///
    /// - Parameter spec: What the user typed.
    /// - Returns: For example `"digits"` for `"digit"`, `"csv:data.csv"` for `"data.csv"`.
    public static func suggestion(for spec: String) -> String? {
        let lowered = spec.lowercased()
        let known = names
        if known.contains(lowered) { return lowered }
        if let name = NameSuggestion.closest(to: spec, among: known) { return name }
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
