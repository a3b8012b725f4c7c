/// What can go wrong projecting a training run or benchmarking this machine.
public enum EstimationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An input to the projection is out of range.
    case invalidInput(name: String, value: String, expected: String)
    /// `--calibrate store` found no run to learn this machine's throughput from.
    case noStoredRuns(databasePath: String, reason: String)
    /// The calibration did no measurable work (a clock that did not move, zero FLOPs).
    case calibrationFailed(reason: String)

    public var description: String {
        switch self {
        case let .invalidInput(name, value, expected):
            return "Invalid \(name) \(value): expected \(expected)."
        case let .noStoredRuns(path, reason):
            return "No stored run in \(path) can calibrate the estimate: \(reason). "
                + "Record one with `footprint train`, or use --calibrate measure."
        case let .calibrationFailed(reason):
            return "The throughput calibration failed: \(reason). Run it again on a less loaded machine, or use --calibrate store."
        }
    }
}
