import Foundation
import PostgresRunStore
import Testing

/// The PostgreSQL server of `FOOTPRINT_TEST_POSTGRES_URL`. Without it, tests that need one are
/// skipped on a developer's machine and fail when `CI` is `true`.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var shouldRun: Bool { url != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    static func requireURL() throws -> String {
        guard let url else {
            Issue.record("CI=true but FOOTPRINT_TEST_POSTGRES_URL is unset: these tests need a PostgreSQL server (.ci/postgres.sh).")
            throw CancellationError()
        }
        return url
    }

    /// `url` with a schema of the test's own, dropped by `dropSchema`.
    static func schemaURL(base: String) -> (url: String, schema: String) {
        let name = "fp_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return (base + (base.contains("?") ? "&" : "?") + "schema=" + name, name)
    }

    static func dropSchema(url: String, schema: String) {
        guard let store = try? PostgresRunStore.open(url: url) else { return }
        try? store.execute("DROP SCHEMA \(schema) CASCADE")
        try? store.close()
    }
}

/// A PostgreSQL cluster of a test's own, in a temporary directory on a port of its own, that
/// the test may stop and start: `initdb` and `pg_ctl` from Debian's postgresql package, run as
/// the `postgres` user when the tests run as root (the server refuses to run as root).
final class PrivateCluster {
    let directory: String
    let port: Int
    private let binaries: String

    static let binaryDirectories = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"]

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    init() throws {
        guard let binaries = Self.binaryDirectories.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            Issue.record("initdb not found in \(Self.binaryDirectories); install Debian's postgresql")
            throw CancellationError()
        }
        self.binaries = binaries
        directory = "/tmp/fp-cluster-" + UUID().uuidString.prefix(8).lowercased()
        port = 40_000 + Int.random(in: 0..<20_000)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if geteuid() == 0 { try Self.shell(["chown", "postgres:postgres", directory]) }
        try runAsServerUser(["\(binaries)/initdb", "-D", "\(directory)/data", "-A", "trust", "-U", "postgres", "--no-sync"])
        try start()
    }

    func start() throws {
        try runAsServerUser([
            "\(binaries)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/log", "-w", "-o",
            "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ])
    }

    /// Stops the server at once, as a crash or a pulled cable would: connections just drop.
    func stopImmediately() throws {
        try runAsServerUser(["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
    }

    deinit {
        _ = try? runAsServerUser(["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func runAsServerUser(_ arguments: [String]) throws {
        try Self.shell(geteuid() == 0 ? ["runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    private static func shell(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Issue.record("\(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
            throw CancellationError()
        }
    }
}
