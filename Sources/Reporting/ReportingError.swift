/// What can go wrong building or writing a report.
public enum ReportingError: Error, Equatable, CustomStringConvertible {
    /// A comparison needs at least two runs; `selection` says how they were chosen.
    case tooFewRuns(found: Int, selection: String)
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)

    /// A sentence saying what failed, where, and what to do.
    public var description: String {
        switch self {
        case .tooFewRuns(let found, let selection):
            let runs = found == 1 ? "1 run" : "\(found) runs"
            return "a comparison needs at least 2 runs, and \(selection) gave \(runs); "
                + "record more with `footprint train`, or name run ids (`footprint runs` lists them)."
        case .cannotWrite(let path, let reason):
            return "could not write \(path): \(reason); choose another place with -o or check the directory's permissions."
        }
    }
}
