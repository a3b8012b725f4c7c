import Vocabulary
import Foundation
import FootprintTestKit
import Testing

@testable import FootprintMetrics

@Suite struct MetricsServerTests {
    @Test func servesTheMetricsAtSlashMetricsAndNothingElse() throws {
        let metrics = RunMetrics()
        metrics.record(RunMetricsTests.snapshot(seconds: 2, epochs: 1))
        let server = try MetricsServer.start(port: 0, metrics: metrics)
        defer { server.shutdown() }
        #expect(server.port > 0)
        #expect(server.url == "http://127.0.0.1:\(server.port)/metrics")

        let scrape = try HTTPProbe.request(path: "/metrics", port: server.port)
        #expect(scrape.status == 200)
        #expect(scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(scrape.headers["content-length"] == String(scrape.body.utf8.count))
        let text = try ExpositionText(scrape.body)
        #expect(text.value("footprint_energy_joules_total", ["zone": "package-0"]) == 80)

        // Later snapshots show in the next scrape.
        metrics.record(RunMetricsTests.snapshot(seconds: 3, epochs: 2))
        #expect(try ExpositionText(HTTPProbe.request(path: "/metrics?x=1", port: server.port).body).value("footprint_epoch") == 2)

        #expect(try HTTPProbe.request(path: "/", port: server.port).status == 404)
        #expect(try HTTPProbe.request(path: "/metricsx", port: server.port).status == 404)
        let post = try HTTPProbe.request("POST", path: "/metrics", port: server.port, body: "x")
        #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
    }

    @Test func aPortInUseIsAnErrorThatNamesItAndSaysWhatToDo() throws {
        let first = try MetricsServer.start(port: 0, metrics: RunMetrics())
        defer { first.shutdown() }
        #expect(throws: MetricsError.portInUse(address: "127.0.0.1", port: first.port)) {
            try MetricsServer.start(port: first.port, metrics: RunMetrics())
        }
        let message = MetricsError.portInUse(address: "127.0.0.1", port: first.port).description
        #expect(message.contains("\(first.port)") && message.contains("--metrics-port"))
    }

    @Test func shutdownFreesThePort() throws {
        let server = try MetricsServer.start(port: 0, metrics: RunMetrics())
        let port = server.port
        server.shutdown()
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.request(path: "/metrics", port: port) }
        let again = try MetricsServer.start(port: port, metrics: RunMetrics())
        again.shutdown()
    }
}
