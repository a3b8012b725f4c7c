import Foundation
import PostgresRunStore
import RunStore

/// Where a run recorded into a PostgreSQL server goes on when the server stops answering: a
/// local SQLite file, which `footprint sync` later copies to the server.
public struct RecordingFallback: Sendable {
    /// The SQLite file the run goes on in.
    public var path: String
    /// Told, once, that the run moved to ``path`` and why.
    public var notice: @Sendable (String) -> Void

    /// Creates a fallback.
    ///
    /// - Parameters:
    ///   - path: The SQLite file the run goes on in.
    ///   - notice: Told, once, that the run moved and why.
    public init(path: String, notice: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.notice = notice
    }

    /// The file `FOOTPRINT_FALLBACK_DB` names, else `./footprint.sqlite`.
    ///
    /// - Parameters:
    ///   - environment: The process's environment.
    ///   - notice: Told, once, that the run moved and why.
    /// - Returns: The fallback.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, notice: @escaping @Sendable (String) -> Void
    ) -> RecordingFallback {
        let named = environment["FOOTPRINT_FALLBACK_DB"].flatMap { $0.isEmpty ? nil : $0 }
        return RecordingFallback(path: named ?? "./" + RunDatabase.defaultFileName, notice: notice)
    }

    /// `server`, going on into ``path`` should it stop answering.
    func wrapping(_ server: PostgresRunStore, busyTimeoutSeconds: Double) -> FallbackRunStorage {
        let path = self.path
        return FallbackRunStorage(
            primary: server, primaryName: server.serverDescription, fallbackDescription: path,
            openFallback: { try RunDatabase.open(path: path, busyTimeoutSeconds: busyTimeoutSeconds) },
            notice: notice)
    }
}
