import Foundation
import PostgresRunStore
import RunStore
import RunStores
import Testing

@Suite struct RunStoresTests {
    /// A fresh directory, removed when released.
    final class Directory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runstores-tests-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func readingAMissingFileRefusesAndCreatesNothing() throws {
        let directory = try Directory()
        let path = directory.path + "/runs.sqlite"
        let refused = #expect(throws: RunStoresError.self) { try RunStores.openForReading(.file(path: path), busyTimeoutSeconds: 1) }
        #expect(refused == .noDatabase(path: path))
        #expect(refused?.description.hasPrefix("no run database at \(path) yet.") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileOpensWithTheSQLiteEngineForRecordingThenForReading() throws {
        let directory = try Directory()
        let path = directory.path + "/runs.sqlite"
        let written = try RunStores.openForRecording(.file(path: path), busyTimeoutSeconds: 1, fallback: nil)
        #expect(written is RunDatabase)
        let id = try written.insertRun(RunRecord(name: "stored", kind: .api, startedAt: Date(), host: "h"))
        try written.close()
        #expect(FileManager.default.fileExists(atPath: path))
        let read = try RunStores.openForReading(.file(path: path), busyTimeoutSeconds: 1)
        #expect(read is RunDatabase)
        #expect(try read.run(id: id).name == "stored")
        try read.close()
    }

    @Test func theOpenerRecordsIntoTheLocationItIsGiven() throws {
        let directory = try Directory()
        let path = directory.path + "/opened.sqlite"
        let store = try RunStores.recordingOpener(fallback: nil)(.file(path: path), 1)
        #expect(store is RunDatabase)
        try store.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func theFallbackFileComesFromTheEnvironmentElseTheDefaultName() {
        #expect(RecordingFallback.fromEnvironment(["FOOTPRINT_FALLBACK_DB": "/tmp/x.sqlite"], notice: { _ in }).path == "/tmp/x.sqlite")
        #expect(RecordingFallback.fromEnvironment(["FOOTPRINT_FALLBACK_DB": ""], notice: { _ in }).path == "./footprint.sqlite")
        #expect(RecordingFallback.fromEnvironment([:], notice: { _ in }).path == "./footprint.sqlite")
    }

    static let serverURL = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var shouldRunServerTests: Bool { serverURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    @Test(.enabled(if: shouldRunServerTests, "needs FOOTPRINT_TEST_POSTGRES_URL"))
    func aServerOpensWithThePostgreSQLEngineAndARecordingGoesOnIntoTheFallback() throws {
        let base = try #require(Self.serverURL, "CI=true but FOOTPRINT_TEST_POSTGRES_URL is unset (.ci/postgres.sh)")
        let schema = "fp_stores_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let url = base + (base.contains("?") ? "&" : "?") + "schema=" + schema
        defer {
            if let server = try? PostgresRunStore.open(url: url) {
                try? server.execute("DROP SCHEMA \(schema) CASCADE")
                try? server.close()
            }
        }
        let directory = try Directory()
        let fallback = RecordingFallback(path: directory.path + "/fallback.sqlite", notice: { _ in })
        let recording = try RunStores.openForRecording(.postgres(url: url), busyTimeoutSeconds: 1, fallback: fallback)
        #expect(recording is FallbackRunStorage)
        try recording.close()
        let plain = try RunStores.openForRecording(.postgres(url: url), busyTimeoutSeconds: 1, fallback: nil)
        #expect(plain is PostgresRunStore)
        try plain.close()
        let reading = try RunStores.openForReading(.postgres(url: url), busyTimeoutSeconds: 1)
        #expect(reading is PostgresRunStore)
        try reading.close()
        // Nothing moved to the fallback: it is opened only when the server stops answering.
        #expect(!FileManager.default.fileExists(atPath: fallback.path))
    }
}
