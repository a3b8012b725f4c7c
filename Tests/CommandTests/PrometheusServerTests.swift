import Foundation
import FootprintTestKit
import Testing

/// Against a real Prometheus and Pushgateway (`.ci/prometheus.sh` starts both): the scraped
/// energy reaches Prometheus, and two nodes' pushes land in two groups. Skipped when
/// `FOOTPRINT_TEST_PROMETHEUS_URL` / `FOOTPRINT_TEST_PUSHGATEWAY_URL` are unset, except in CI
/// (`CI=true`), where an unset variable fails the test.
@Suite(.serialized) struct PrometheusServerTests {
    static let prometheusURL = TestEnvironment.value("FOOTPRINT_TEST_PROMETHEUS_URL")
    static let pushgatewayURL = TestEnvironment.value("FOOTPRINT_TEST_PUSHGATEWAY_URL")

    /// Host and port of an `http://HOST:PORT` URL.
    static func hostAndPort(_ url: String) throws -> (host: String, port: Int) {
        let components = try #require(URLComponents(string: url))
        return (components.host ?? "127.0.0.1", components.port ?? 80)
    }

    static func json(_ response: HTTPProbe.Response) throws -> [String: Any] {
        #expect(response.status == 200, "\(response.status): \(response.body.prefix(300))")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: TestEnvironment.runs(needing: prometheusURL != nil)))
    func prometheusScrapesTheRunsEnergyFromTheEndpoint() throws {
        let url = try #require(Self.prometheusURL, "FOOTPRINT_TEST_PROMETHEUS_URL is unset; CI sets it after .ci/prometheus.sh")
        let prometheus = try Self.hostAndPort(url)
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let meter = try LiveMetricsCommandTests.Meter()
        // The CI Prometheus scrapes 127.0.0.1:9464 every second.
        let (process, _, error) = binary.process(
            ["wrap", "--metrics-port", "9464", "--", "sleep", "8"], in: directory, environment: meter.environment)
        try process.run()
        defer { _ = FootprintBinary.waitForExit(process, seconds: 30) }
        let port = try #require(LiveMetricsCommandTests.metricsPort(from: error, seconds: 10), "no 'metrics at' line on stderr")
        #expect(port == 9464)
        var runLabel: String?
        _ = FootprintBinary.waitUntil(seconds: 3, unless: { !process.isRunning }) {
            runLabel = (try? ExpositionScrape(port: port))?.label("run", of: "footprint_run_info")
            return runLabel != nil
        }
        let run = try #require(runLabel, "the endpoint showed no run_info")

        var joules: Double?
        var lastAnswer = ""
        let found = FootprintBinary.waitUntil(seconds: 7, unless: { !process.isRunning }) {
            guard
                let response = try? HTTPProbe.request(
                    path: "/api/v1/query?query=footprint_energy_joules_total", host: prometheus.host, port: prometheus.port)
            else { return false }
            lastAnswer = response.body
            guard let body = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
                let data = body["data"] as? [String: Any], let results = data["result"] as? [[String: Any]]
            else { return false }
            for result in results {
                guard let metric = result["metric"] as? [String: String], metric["run"] == run,
                    let value = result["value"] as? [Any], let text = value.last as? String, let number = Double(text)
                else { continue }
                #expect(metric["job"] == "footprint" && metric["zone"] == "package-0")
                joules = number
            }
            return (joules ?? 0) > 0
        }
        #expect(found, "Prometheus never had run \(run)'s energy; last answer: \(lastAnswer.prefix(600))")
        #expect(FootprintBinary.waitForExit(process, seconds: 30) && process.terminationStatus == 0)
    }

    @Test(.enabled(if: TestEnvironment.runs(needing: pushgatewayURL != nil)))
    func twoNodesPushToTwoGroupsOfOneJob() throws {
        let url = try #require(Self.pushgatewayURL, "FOOTPRINT_TEST_PUSHGATEWAY_URL is unset; CI sets it after .ci/prometheus.sh")
        let gateway = try Self.hostAndPort(url)
        let binary = try FootprintBinary.locate()
        let meter = try LiveMetricsCommandTests.Meter()
        let jobID = "fp-test-\(UInt32.random(in: 0...UInt32.max))"
        var processes: [(Process, Pipe, Pipe)] = []
        for (rank, node) in ["node-a", "node-b"].enumerated() {
            var environment = meter.environment
            environment["FOOTPRINT_HOST"] = node
            environment["SLURM_JOB_ID"] = jobID
            environment["SLURM_PROCID"] = String(rank)
            environment["SLURM_LOCALID"] = "0"
            let process = binary.process(
                ["wrap", "--pushgateway", url, "--push-interval", "0.5", "--", "sleep", "1.5"], in: try FootprintBinary.scratchDirectory(),
                environment: environment)
            try process.0.run()
            processes.append(process)
        }
        for (process, _, error) in processes {
            #expect(FootprintBinary.waitForExit(process, seconds: 30))
            let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(!text.contains("push"), "a push failed: \(text)")
        }
        defer {
            for instance in ["node-a:rank-0", "node-b:rank-1"] {
                _ = try? HTTPProbe.request(
                    "DELETE", path: "/metrics/job/slurm:\(jobID)/instance/\(instance)", host: gateway.host, port: gateway.port)
            }
        }
        let body = try Self.json(HTTPProbe.request(path: "/api/v1/metrics", host: gateway.host, port: gateway.port))
        let groups = try #require(body["data"] as? [[String: Any]])
        var found: [String: Double] = [:]
        for group in groups {
            guard let labels = group["labels"] as? [String: String], labels["job"] == "slurm:\(jobID)", let instance = labels["instance"],
                let family = group["footprint_energy_joules_total"] as? [String: Any], let metrics = family["metrics"] as? [[String: Any]]
            else { continue }
            let joules = metrics.compactMap { ($0["value"] as? String).flatMap(Double.init) }.reduce(0, +)
            found[instance] = joules
            #expect(metrics.allSatisfy { ($0["labels"] as? [String: String])?["job_key"] == "slurm:\(jobID)" })
        }
        #expect(Set(found.keys) == ["node-a:rank-0", "node-b:rank-1"], "groups of job slurm:\(jobID): \(found)")
        #expect(found.values.allSatisfy { $0 > 0 }, "\(found)")
    }
}
