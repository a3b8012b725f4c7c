import Foundation
import PostgresRunStore
import RunStore
import Testing

/// The PostgreSQL server the tests use: `FOOTPRINT_TEST_POSTGRES_URL`, such as
/// `postgres://footprint:footprint@127.0.0.1:5432/footprint_test`.
///
/// Without it, tests that need a server are skipped on a developer's machine, and fail when
/// `CI` is `true`, so a CI run that lost its server cannot pass by skipping them.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The trait condition: run when there is a server, or when CI must notice there is none.
    static var shouldRun: Bool { url != nil || isCI }

    /// The server's URL, or a recorded failure (CI) and a thrown error.
    static func requireURL() throws -> String {
        guard let url else {
            Issue.record("CI=true but FOOTPRINT_TEST_POSTGRES_URL is unset: these tests need a PostgreSQL server (.ci/postgres.sh).")
            throw CancellationError()
        }
        return url
    }
}

/// A schema of its own for one test, so tests run in parallel; dropped when released.
final class TestSchema {
    let name: String
    let url: String

    init() throws {
        let base = try TestServer.requireURL()
        name = "fp_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        url = base + (base.contains("?") ? "&" : "?") + "schema=" + name
    }

    /// Opens the store on this schema.
    func open() throws -> PostgresRunStore { try PostgresRunStore.open(url: url) }

    deinit {
        if let store = try? PostgresRunStore.open(url: url) {
            try? store.execute("DROP SCHEMA \(name) CASCADE")
            try? store.close()
        }
    }
}

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgstore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A date with whole milliseconds, the precision the stores keep.
func millisecondDate(_ secondsSince1970: Double) -> Date {
    Date(timeIntervalSince1970: (secondsSince1970 * 1000).rounded() / 1000)
}
