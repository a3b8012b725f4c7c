import Foundation
import PostgresRunStore
import RunStore
import Testing

/// The command line against PostgreSQL: many processes recording at once, `sync`, a server
/// that stops mid-run, and connection errors.
@Suite struct PostgresCommandTests {
    @Test(.enabled(if: PostgresTestServer.shouldRun)) func eightProcessesRecordingTwentyFiveRunsEachLoseNothing() throws {
        let base = try PostgresTestServer.requireURL()
        let (url, schema) = PostgresTestServer.schemaURL(base: base)
        defer { PostgresTestServer.dropSchema(url: url, schema: schema) }
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<25 {
                do {
                    let outcome = try binary.run(["wrap", "--db", url, "--interval", "0.5", "--", "true"], in: directory)
                    if outcome.status != 0 { failures.add("worker \(worker) run \(index): \(outcome.standardError)") }
                } catch {
                    failures.add("worker \(worker) run \(index): \(error)")
                }
            }
        }
        #expect(failures.list == [])
        let store = try PostgresRunStore.open(url: url)
        defer { try? store.close() }
        let runs = try store.runs()
        #expect(runs.count == 200)
        #expect(Set(runs.map(\.uuid)).count == 200)
        #expect(runs.allSatisfy { $0.status == .completed })
        // Nothing went to a local file.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("footprint.sqlite").path))
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun)) func syncTwiceCopiesOnce() throws {
        let base = try PostgresTestServer.requireURL()
        let (url, schema) = PostgresTestServer.schemaURL(base: base)
        defer { PostgresTestServer.dropSchema(url: url, schema: schema) }
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        for _ in 0..<2 {
            #expect(try binary.run(["wrap", "--interval", "0.5", "--", "true"], in: directory).status == 0)
        }
        let first = try binary.run(["sync", "--to", url], in: directory)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("2 copied, 0 replaced, 0 already there"))
        #expect(first.standardError.contains("[2/2]"))
        let second = try binary.run(["sync", "--to", url], in: directory)
        #expect(second.standardOutput.contains("0 copied, 0 replaced, 2 already there"))
        let store = try PostgresRunStore.open(url: url)
        defer { try? store.close() }
        #expect(try store.runCount() == 2)
        // Reading commands read the server.
        let listing = try binary.run(["runs", "--db", url], in: directory)
        #expect(listing.status == 0)
        #expect(listing.standardOutput.contains("true"))
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun)) func serverStoppedMidRunRunEndsInTheLocalFileAndSyncsLater() throws {
        _ = try PostgresTestServer.requireURL()
        let cluster = try PrivateCluster()
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let (process, output, error) = binary.process(
            ["wrap", "--db", cluster.url, "--interval", "0.2", "--", "sh", "-c", "sleep 7"], in: directory)
        try process.run()
        // Once the run is on the server, stop the server under it.
        let started = FootprintBinary.waitUntil(seconds: 20, unless: { !process.isRunning }) {
            guard let store = try? PostgresRunStore.open(url: cluster.url, connectTimeoutSeconds: 1) else { return false }
            defer { try? store.close() }
            return ((try? store.runCount()) ?? 0) > 0
        }
        #expect(started)
        try cluster.stopImmediately()
        let standardOutput = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let standardError = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(FootprintBinary.waitForExit(process))
        #expect(process.terminationStatus == 0, "\(standardOutput)\n\(standardError)")
        #expect(standardError.contains("PostgreSQL at 127.0.0.1:\(cluster.port) stopped answering"), "\(standardError)")
        #expect(standardError.contains("footprint.sqlite"))
        #expect(standardError.contains("footprint sync"))

        let local = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        let localRuns = try local.runs()
        try local.close()
        #expect(localRuns.count == 1)
        #expect(localRuns.first?.status == .completed)

        try cluster.start()
        let sync = try binary.run(["sync", "--to", cluster.url], in: directory)
        #expect(sync.status == 0, "\(sync.standardError)")
        #expect(sync.standardOutput.contains("1 replaced"), "\(sync.standardOutput)")
        let server = try PostgresRunStore.open(url: cluster.url)
        defer { try? server.close() }
        let copy = try #require(try server.run(uuid: localRuns.first?.uuid ?? ""))
        #expect(copy.status == .completed)
        #expect(try server.runCount() == 1)
    }

    @Test func unreachableServerFailsFastWithoutThePassword() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let start = Date()
        let outcome = try binary.run(["wrap", "--db", "postgres://ann:topsecret@127.0.0.1:1/runs", "--", "true"], in: directory)
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("cannot reach PostgreSQL at 127.0.0.1:1"), "\(outcome.standardError)")
        #expect(!(outcome.standardOutput + outcome.standardError).contains("topsecret"))
        let listing = try binary.run(["runs", "--db", "postgres://ann:topsecret@127.0.0.1:1/runs"], in: directory)
        #expect(listing.status != 0 && listing.standardError.contains("cannot reach"))
        #expect(!(listing.standardOutput + listing.standardError).contains("topsecret"))
    }

    @Test func aStoreOfAnotherKindIsAUsageErrorNotAFileName() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(["runs", "--db", "mysql://ann@db/runs"], in: directory)
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("--db names a mysql:// store"), "\(outcome.standardError)")
        let fromEnvironment = try binary.run(["wrap", "--", "true"], in: directory, environment: ["FOOTPRINT_DB": "sqlite:///tmp/x.db"])
        #expect(fromEnvironment.status == 64 && fromEnvironment.standardError.contains("FOOTPRINT_DB names a sqlite:// store"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sqlite:").path))
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun)) func wrongPasswordIsRefusedClearlyWithoutThePassword() throws {
        let base = try PostgresTestServer.requireURL()
        guard var components = URLComponents(string: base) else { throw CancellationError() }
        components.password = "not-the-password-42"
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let start = Date()
        let outcome = try binary.run(["runs", "--db", components.string ?? base], in: directory)
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("refused user \(components.user ?? "")'s password"), "\(outcome.standardError)")
        #expect(!(outcome.standardOutput + outcome.standardError).contains("not-the-password-42"))
    }
}

/// What concurrent workers ran into.
final class Failures: @unchecked Sendable {
    // @unchecked: `values` is only touched with `lock` held.
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ text: String) { lock.withLock { values.append(text) } }
    var list: [String] { lock.withLock { values } }
}
