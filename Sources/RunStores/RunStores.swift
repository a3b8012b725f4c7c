import Foundation
import PostgresRunStore
import RunStore

/// Opens the run store a ``RunStoreLocation`` names, with the engine it needs: a SQLite file
/// with ``RunDatabase``, a `postgres://` server with ``PostgresRunStore``. The one place that
/// chooses an engine; commands and programs pass a location and get a `RunStorage`.
///
/// A new engine is a target of its own behind `RunStorage`, a case of `RunStoreLocation`, and a
/// case in the two switches below.
public enum RunStores {
    /// Opens `location` for a program that only reads runs.
    ///
    /// A SQLite file is opened with ``RunDatabase/openForReading(path:busyTimeoutSeconds:)``, so a
    /// read-only file is read rather than refused, and a missing one is never created: reading
    /// leaves no empty database behind in whatever directory it ran from.
    ///
    /// - Parameters:
    ///   - location: The file or server.
    ///   - busyTimeoutSeconds: How long a SQLite read waits for another process's lock.
    /// - Returns: The open store.
    /// - Throws: ``RunStoresError/noDatabase(path:)`` for a missing file; `RunStoreError` when
    ///   the store cannot be opened.
    public static func openForReading(_ location: RunStoreLocation, busyTimeoutSeconds: Double) throws -> any RunStorage {
        switch location {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw RunStoresError.noDatabase(path: path) }
            return try RunDatabase.openForReading(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        case .postgres(let url):
            return try PostgresRunStore.open(url: url)
        }
    }

    /// Opens `location` for a program that records or copies runs: a SQLite file is created if
    /// missing; a server is wrapped in `fallback`, when given, so that a run goes on into a
    /// local file should the server stop answering mid-run.
    ///
    /// - Parameters:
    ///   - location: The file or server.
    ///   - busyTimeoutSeconds: How long a SQLite write waits for another process's lock.
    ///   - fallback: Where a server's runs go on when it stops answering (nil: they fail).
    /// - Returns: The open store.
    /// - Throws: `RunStoreError` when the store cannot be opened or created.
    public static func openForRecording(
        _ location: RunStoreLocation, busyTimeoutSeconds: Double, fallback: RecordingFallback? = nil
    ) throws -> any RunStorage {
        switch location {
        case .file(let path):
            return try RunDatabase.open(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        case .postgres(let url):
            let server = try PostgresRunStore.open(url: url)
            guard let fallback else { return server }
            return fallback.wrapping(server, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// ``openForRecording(_:busyTimeoutSeconds:fallback:)`` as a `TrackerOptions.storeOpener`, so
    /// a tracker records into either engine.
    ///
    /// - Parameter fallback: Where a server's runs go on when it stops answering (nil: they fail).
    /// - Returns: The opener.
    public static func recordingOpener(fallback: RecordingFallback? = nil) -> RunStoreOpener {
        { location, busyTimeoutSeconds in
            try openForRecording(location, busyTimeoutSeconds: busyTimeoutSeconds, fallback: fallback)
        }
    }
}
