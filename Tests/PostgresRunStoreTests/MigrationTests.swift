import Foundation
import PostgresRunStore
import RunStore
import Testing

@Suite(.enabled(if: TestServer.shouldRun)) struct MigrationTests {
    @Test func createsTheWholeSchemaInAnEmptySchema() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        defer { try? store.close() }
        #expect(try store.appliedMigrations() == ["v5-jobs", "v6-bridges", "v7-wrapped-model"])
        #expect(try store.runCount() == 0)
        // Opening again changes nothing.
        let again = try schema.open()
        #expect(try again.appliedMigrations() == ["v5-jobs", "v6-bridges", "v7-wrapped-model"])
        try again.close()
    }

    @Test func refusesASchemaNewerThanThisBuild() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        try store.execute("INSERT INTO footprint_migrations (identifier, applied_at) VALUES ('v8-future', 'now')")
        try store.close()
        #expect {
            _ = try schema.open()
        } throws: { error in
            guard case RunStoreError.newerSchema(_, let databaseVersion, let knownVersion) = error else { return false }
            return databaseVersion == 8 && knownVersion == PostgresRunStore.schemaVersion
        }
    }

    @Test func concurrentFirstOpensAllSucceedOnOneSchema() throws {
        let schema = try TestSchema()
        let outcomes = OutcomeBox()
        let url = schema.url
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let store = try PostgresRunStore.open(url: url)
                _ = try store.insertRun(RunRecord(name: "first", kind: .api, startedAt: Date(), host: "h"))
                try store.close()
                outcomes.add(nil)
            } catch {
                outcomes.add("\(error)")
            }
        }
        #expect(outcomes.failures == [])
        let store = try schema.open()
        defer { try? store.close() }
        #expect(try store.appliedMigrations() == ["v5-jobs", "v6-bridges", "v7-wrapped-model"])
        #expect(try store.runCount() == 6)
    }
}

/// Collects what concurrent openers ran into.
final class OutcomeBox: @unchecked Sendable {
    // @unchecked: `values` is only touched with `lock` held.
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ failure: String?) { lock.withLock { if let failure { values.append(failure) } } }
    var failures: [String] { lock.withLock { values } }
}
