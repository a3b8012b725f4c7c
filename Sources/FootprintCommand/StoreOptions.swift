import ArgumentParser
import Footprint
import Foundation
import RunStore
import RunStores

/// `--db`, shared by every command that reads or writes runs.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The run store: a SQLite file or a postgres://user@host:port/database URL (password from PGPASSWORD or ~/.pgpass) (default: $FOOTPRINT_DB, else ./footprint.sqlite).",
            valueName: "path|url"))
    var databasePath: String?

    /// The file or server `--db` / `FOOTPRINT_DB` names.
    var location: RunStoreLocation {
        RunStoreLocation(RunDatabase.resolvedPath(explicitPath: databasePath, environment: ProcessInfo.processInfo.environment))
    }

    func validate() throws {
        // `mysql://…` or `sqlite://…` would otherwise be taken for a file name.
        if case .file(let path) = location, let scheme = path.range(of: "://").map({ path[..<$0.lowerBound] }),
            !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0 == "+" })
        {
            let source = databasePath == nil ? "FOOTPRINT_DB" : "--db"
            throw ValidationError(
                "\(source) names a \(scheme):// store; Footprint keeps runs in a SQLite file (a path) or PostgreSQL (postgres://user@host:port/database)."
            )
        }
    }

    /// Opens the store a reading command works on; a missing file is one line and exit status 1.
    func open() throws -> any RunStorage {
        do {
            return try RunStores.openForReading(location, busyTimeoutSeconds: TrackerOptions.busyTimeout())
        } catch let error as RunStoresError {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
    }
}
