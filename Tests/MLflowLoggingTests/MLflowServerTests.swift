import Foundation
import Testing

@testable import MLflowLogging

/// The MLflow tracking server of `FOOTPRINT_TEST_MLFLOW_URL`, such as `http://127.0.0.1:5055`
/// (`.ci/mlflow.sh` starts one). Without it the tests that need one are skipped on a developer's
/// machine, and fail when `CI` is `true`, so a CI run that lost its server cannot pass by skipping.
enum MLflowTestServer {
    static let url = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_MLFLOW_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var shouldRun: Bool { url != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    static func requireURL() throws -> String {
        guard let url else {
            Issue.record("CI=true but FOOTPRINT_TEST_MLFLOW_URL is unset: these tests need an MLflow server (.ci/mlflow.sh).")
            throw CancellationError()
        }
        return url
    }

    /// Calls the REST API as MLflow's own client would; returns the decoded JSON object.
    static func call(_ base: String, _ method: String, _ path: String, body: [String: Any]? = nil) throws -> [String: Any] {
        let url = try #require(URL(string: base + "/api/2.0/mlflow/" + path))
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = URLSessionTransport()
            .send(.init(url: url, method: method, headers: ["Content-Type": "application/json"], body: data), timeoutSeconds: 30)
        guard case .answered(200, let answer) = response else {
            Issue.record("\(method) \(path) failed: \(response)")
            throw CancellationError()
        }
        return try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])
    }
}

@Suite(.enabled(if: MLflowTestServer.shouldRun, "needs FOOTPRINT_TEST_MLFLOW_URL (.ci/mlflow.sh)"))
struct MLflowServerTests {
    /// A fresh experiment and a run in it, finished as the wrapped program's run is when `wrap` logs.
    private func finishedRun(_ base: String) throws -> String {
        let experiment = try MLflowTestServer.call(
            base, "POST", "experiments/create", body: ["name": "footprint-test-" + UUID().uuidString.lowercased()])
        let experimentID = try #require(experiment["experiment_id"] as? String)
        let run = try MLflowTestServer.call(
            base, "POST", "runs/create", body: ["experiment_id": experimentID, "start_time": 1_700_000_000_000])
        let runID = try #require(
            (run["run"] as? [String: Any]).flatMap { $0["info"] as? [String: Any] }.flatMap { $0["run_id"] as? String })
        _ = try MLflowTestServer.call(
            base, "POST", "runs/update", body: ["run_id": runID, "status": "FINISHED", "end_time": 1_700_000_010_000])
        return runID
    }

    @Test func loggedMetricsAndTagsAreReadBackFromTheRealServer() throws {
        let base = try MLflowTestServer.requireURL()
        let runID = try finishedRun(base)
        let facts = MLflowLogBatchTests.facts(epochs: 3)
        // The run id from the environment, the URI from the tracking event, as `wrap` gets them.
        let result = MLflowLogger().log(facts, runID: nil, trackingURI: base, environment: ["MLFLOW_RUN_ID": runID])
        #expect(result == .logged(metrics: 8, requests: 1))

        let run = try MLflowTestServer.call(base, "GET", "runs/get?run_id=\(runID)")
        let data = try #require((run["run"] as? [String: Any])?["data"] as? [String: Any])
        let metrics = try #require(data["metrics"] as? [[String: Any]])
        let latest = Dictionary(metrics.compactMap { m in (m["key"] as? String).map { ($0, (m["value"] as? Double) ?? .nan) } }) { a, _ in a
        }
        #expect(latest["footprint_energy_joules"] == 120.5)
        #expect(latest["footprint_training_energy_joules"] == 100.25)
        #expect(latest["footprint_co2e_grams"] == 0.011)
        #expect(latest["footprint_flops"] == 3.2e12)
        #expect(latest["footprint_seconds"] == 7.5)
        #expect(latest["footprint_epoch_energy_joules"] == 2.5)
        let tags = try #require(data["tags"] as? [[String: String]])
        let tagValues = Dictionary(tags.compactMap { t in t["key"].map { ($0, t["value"] ?? "") } }) { a, _ in a }
        #expect(tagValues["footprint_run_uuid"] == "5F0C-RUN")
        #expect(tagValues["footprint_provenance"] == "measured (RAPL package-0)")
        #expect(tagValues["footprint_meters"] == "rapl, nvml")

        let history = try MLflowTestServer.call(
            base, "GET", "metrics/get-history?run_id=\(runID)&metric_key=footprint_epoch_energy_joules")
        let points = try #require(history["metrics"] as? [[String: Any]])
        let bySteps = points.compactMap { p -> (Int, Double)? in
            guard let step = p["step"] as? Int, let value = p["value"] as? Double else { return nil }
            return (step, value)
        }
        .sorted { $0.0 < $1.0 }
        #expect(bySteps.map(\.0) == [0, 1, 2])
        #expect(bySteps.map(\.1) == [0.5, 1.5, 2.5])
        #expect(points.allSatisfy { ($0["timestamp"] as? Int64) == 1_700_000_000_250 })
    }

    @Test func moreMetricsThanOneBatchTakeSeveralRequestsAndAllArrive() throws {
        let base = try MLflowTestServer.requireURL()
        let runID = try finishedRun(base)
        let facts = MLflowLogBatchTests.facts(epochs: 1_200)
        let result = MLflowLogger(timeoutSeconds: 30).log(facts, runID: runID, trackingURI: base, environment: [:])
        #expect(result == .logged(metrics: 1_205, requests: 2))
        let history = try MLflowTestServer.call(
            base, "GET", "metrics/get-history?run_id=\(runID)&metric_key=footprint_epoch_energy_joules&max_results=5000")
        let points = try #require(history["metrics"] as? [[String: Any]])
        #expect(points.count == 1_200)
        #expect(Set(points.compactMap { $0["step"] as? Int }) == Set(0..<1_200))
    }

    @Test func unknownRunOnTheRealServerIsNotLoggedAndSaysWhy() throws {
        let base = try MLflowTestServer.requireURL()
        let result = MLflowLogger().log(
            MLflowLogBatchTests.facts(), runID: "0123456789abcdef0123456789abcdef", trackingURI: base, environment: [:])
        guard case .notLogged(let reason) = result else {
            Issue.record("an unknown run logged: \(result)")
            return
        }
        #expect(reason.contains("RESOURCE_DOES_NOT_EXIST"), "\(reason)")
        #expect(reason.contains("0123456789abcdef0123456789abcdef"))
    }
}
