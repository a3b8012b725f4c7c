/// Why ``RunStores`` could not open a store.
public enum RunStoresError: Error, Equatable, CustomStringConvertible {
    /// A program that only reads was pointed at a SQLite file that does not exist.
    case noDatabase(path: String)

    public var description: String {
        switch self {
        case .noDatabase(let path):
            return
                "no run database at \(path) yet. Record a run first (footprint train, footprint wrap -- CMD), or point --db or FOOTPRINT_DB at an existing one."
        }
    }
}
