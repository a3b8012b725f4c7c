/// What produced a run, stored in `runs.kind`.
public enum RunKind: String, Codable, Sendable, CaseIterable {
    /// `footprint train`: the built-in trainer.
    case train
    /// `footprint wrap -- CMD`: any program measured from outside.
    case wrap
    /// The Swift tracker API wrapping a user's own loop.
    case api
}
