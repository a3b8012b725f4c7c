import FootprintBenchmarks
import Foundation
import PostgresRunStore
import RunStore

extension BenchCommand {
    /// Runs the engine comparison: a scratch SQLite file against a scratch schema of `url`.
    static func engineRows(url: String) throws -> [BenchmarkRow] {
        guard case .postgres = RunStoreLocation(url) else {
            throw RunStoreError.invalidLocation(location: url, reason: "--db-url takes a postgres:// URL")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-engines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try RunDatabase.open(path: directory.appendingPathComponent("bench.sqlite").path)
        defer { try? sqlite.close() }
        let schema = "footprint_bench_\(getpid())"
        let postgres = try PostgresRunStore.open(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
        defer {
            try? postgres.execute("DROP SCHEMA \(schema) CASCADE")
            try? postgres.close()
        }
        return try StoreEngineBenchmark().run(reference: sqlite, candidate: postgres, candidateName: postgres.serverDescription)
    }
}
