import Foundation
import FootprintTestKit
import PostgresRunStore
import Testing

/// A wrapped program is untrusted: it inherits its standard streams and nothing else of
/// Footprint's (no database socket, no epoll descriptor, no listener, no FIFO end), and no
/// password. The child lists its own descriptors and environment from inside.
@Suite(.serialized) struct ChildIsolationTests {
    /// A child that prints `fd N TARGET` for each of its descriptors, then its environment. (The
    /// listing's own descriptor is closed by the time it is read back, so it is not shown.)
    static let selfInspection = [
        "python3", "-c",
        """
        import os
        for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):
            try: print("fd", fd, os.readlink(f"/proc/self/fd/{fd}"))
            except OSError: pass
        for name, value in os.environ.items(): print(f"env {name}={value}")
        """,
    ]

    /// The descriptors (`N TARGET`) and environment (`NAME=VALUE`) the child printed.
    static func inspection(_ output: String) -> (descriptors: [String], environment: [String: String]) {
        var descriptors: [String] = []
        var environment: [String: String] = [:]
        for line in output.split(separator: "\n") {
            if line.hasPrefix("fd ") { descriptors.append(String(line.dropFirst(3))) }
            if line.hasPrefix("env "), let equals = line.firstIndex(of: "=") {
                environment[String(line[line.index(line.startIndex, offsetBy: 4)..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return (descriptors, environment)
    }

    @Test func aWrappedChildInheritsOnlyItsStandardStreamsAndNoStorePassword() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(
            ["wrap", "--metrics-port", "0", "--"] + Self.selfInspection, in: directory,
            environment: ["PGPASSWORD": "s3cret-from-env", "FOOTPRINT_METERS": "estimate"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let (descriptors, environment) = Self.inspection(outcome.standardOutput)
        #expect(descriptors.map { $0.prefix(2) } == ["0 ", "1 ", "2 "], "the child inherited \(descriptors)")
        #expect(environment["PGPASSWORD"] == nil)
        #expect(environment["FOOTPRINT_EVENTS"] != nil && environment["FOOTPRINT_RUN_ID"] == "1")
        #expect(!outcome.standardOutput.contains("s3cret-from-env"))
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun && TestEnvironment.runs(needing: PrometheusServerTests.pushgatewayURL != nil)))
    func aChildOfARunOnPostgreSQLWithMetricsAndPushgatewayHoldsNoneOfTheirDescriptors() throws {
        let base = try PostgresTestServer.requireURL()
        let pushgateway = try #require(PrometheusServerTests.pushgatewayURL, "FOOTPRINT_TEST_PUSHGATEWAY_URL is unset")
        let (url, schema) = PostgresTestServer.schemaURL(base: base)
        defer { PostgresTestServer.dropSchema(url: url, schema: schema) }
        let password = try #require(URLComponents(string: url)?.password, "the test server's URL carries no password")
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(
            ["wrap", "--metrics-port", "0", "--pushgateway", pushgateway, "--push-interval", "1", "--"] + Self.selfInspection,
            in: directory,
            // The test's own variable carries the password too; it is not Footprint's to pass on.
            environment: ["FOOTPRINT_DB": url, "PGPASSWORD": password, "FOOTPRINT_METERS": "estimate", "FOOTPRINT_TEST_POSTGRES_URL": ""])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let (descriptors, environment) = Self.inspection(outcome.standardOutput)
        #expect(descriptors.map { $0.prefix(2) } == ["0 ", "1 ", "2 "], "the child inherited \(descriptors)")
        #expect(environment["PGPASSWORD"] == nil)
        // The child still finds the store, without the password.
        let inherited = try #require(environment["FOOTPRINT_DB"])
        #expect(inherited == url.replacingOccurrences(of: ":\(password)@", with: "@"))
        #expect(!outcome.standardOutput.contains(":\(password)@"))
        // The run itself went to the server.
        let store = try PostgresRunStore.open(url: url)
        defer { try? store.close() }
        #expect(try store.runCount() == 1)
    }

    @Test func aBackgroundedGrandchildDoesNotKeepTheMetricsPortBound() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let port = try Self.freePort()
        // The grandchild outlives the run by ten seconds, then ends by itself; the run must not
        // wait for it (it holds nothing of Footprint's), nor leave it the listener.
        let (process, _, _) = binary.process(
            ["wrap", "--metrics-port", String(port), "--", "sh", "-c", "sleep 10 </dev/null >/dev/null 2>&1 &"], in: directory,
            environment: ["FOOTPRINT_METERS": "estimate"])
        try process.run()
        let exited = FootprintBinary.waitUntil(seconds: 5) { !process.isRunning }
        #expect(exited, "footprint waited for its command's backgrounded grandchild")
        #expect(FootprintBinary.waitForExit(process, seconds: 30))
        #expect(process.terminationStatus == 0)
        #expect(!Self.accepts(port: port), "port \(port) still accepts connections after the run: the grandchild holds the listener")
        let second = try binary.run(
            ["wrap", "--metrics-port", String(port), "--", "true"], in: directory, environment: ["FOOTPRINT_METERS": "estimate"])
        #expect(second.status == 0, "\(second.standardError)")
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted (a listener holds the port).
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound, "cannot bind a loopback port: \(String(cString: strerror(errno)))")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
