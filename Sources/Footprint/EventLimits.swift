/// What a wrapped program's event lines may be and cost: the limits that keep a hostile or
/// broken program from crashing, slowing or filling the memory of `footprint wrap`.
public enum EventLimits {
    /// The longest event line read, in bytes without its newline (1 MiB). A longer line is
    /// skipped as one line, with one note giving its length.
    public static let lineBytes = 1 << 20

    /// Problems (ignored lines, dropped values) reported in full; later ones are only counted,
    /// and the count is reported once when the run ends.
    public static let reportedProblems = 10

    /// Phase marks kept in the run's notes; later ones are only counted.
    public static let keptPhaseMarks = 100

    /// The longest phase name accepted, in characters.
    public static let phaseNameCharacters = 200

    /// The largest epoch index: indices are whole numbers in `0...maximumIndex`.
    public static let maximumIndex = 999_999_999

    /// The largest `samples` of one epoch (10^15, well inside the integers a `Double` holds exactly).
    public static let maximumSamples = 1e15

    /// The largest loss or MSE stored, and the most negative loss (about `Float`'s largest
    /// value: a float32 model whose loss goes beyond it reports infinity).
    public static let maximumLoss = 1e38

    /// The lowest R² stored. R² is at most 1 and unbounded below in theory; below −10^6 the
    /// number says only that the model is useless, and such values are refused.
    public static let minimumR2 = -1e6

    /// The longest model name accepted, in characters.
    public static let modelNameCharacters = 200

    /// The largest parameter count of a `model` event (10^15: a thousand times the largest
    /// models trained, inside the integers a `Double` holds exactly).
    public static let maximumParameters = 1e15

    /// The largest training FLOPs per sample of a `model` event (10^18, exact as a `Double`).
    public static let maximumFlopsPerSample = 1e18

    /// The longest MLflow run id accepted, in characters (MLflow's are 32 hexadecimal digits).
    public static let trackingRunIDCharacters = 200

    /// The longest MLflow tracking URI accepted, in characters.
    public static let trackingURICharacters = 2_000
}
