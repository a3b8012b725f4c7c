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

    /// Runs a command to its end with `posix_spawn`, output to a file. Not `Process`: on Linux
    /// it learns that a child ended when a socket it shares with the child closes, and the
    /// server that `pg_ctl start` leaves behind would inherit that socket and keep it open. Every
    /// descriptor above 2 is closed in the child for the same reason (other tests' pipes).
    private static func shell(_ arguments: [String]) throws {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("fp-cluster-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc 2.34+ has it, but Swift's Glibc module does not declare it: look it up.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            Issue.record("this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34+)")
            throw CancellationError()
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        var status: Int32 = 0
        if spawned == 0 { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
        let exitStatus = spawned == 0 ? (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)) : 127
        if exitStatus != 0 {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            Issue.record("\(arguments.joined(separator: " ")) failed (\(exitStatus)): \(text)")
            throw CancellationError()
        }
    }
}
