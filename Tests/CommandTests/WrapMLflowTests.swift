import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `wrap` logs a finished run into the program's MLflow run: read back from a real `mlflow
/// server` (`FOOTPRINT_TEST_MLFLOW_URL`, `.ci/mlflow.sh`) through its REST API; and a tracking
/// server that does not answer costs one warning, never the run or its exit status.
struct WrapMLflowTests {
    private static let serverURL = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_MLFLOW_URL"].flatMap { $0.isEmpty ? nil : $0 }
    private static var serverShouldRun: Bool {
        (serverURL != nil || ProcessInfo.processInfo.environment["CI"] == "true") && FrameworkPython.shouldRun
    }

    /// Calls MLflow's REST API; returns the decoded object.
    private static func call(_ base: String, _ method: String, _ path: String, body: [String: Any]? = nil) throws -> [String: Any] {
        var request = URLRequest(url: try #require(URL(string: base + "/api/2.0/mlflow/" + path)), timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            answer.set(data, (response as? HTTPURLResponse)?.statusCode, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = answer.get()
        guard status == 200, let data else {
            Issue.record("\(method) \(path) failed: status \(status.map(String.init) ?? "none"), \(error.map { "\($0)" } ?? "")")
            throw CancellationError()
        }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The reply of one request, handed from URLSession's queue to the waiting test.
    private final class Answer: @unchecked Sendable {
        // Written once before the semaphore is signalled and read after it is waited on.
        private var value: (Data?, Int?, (any Error)?) = (nil, nil, nil)
        func set(_ data: Data?, _ status: Int?, _ error: (any Error)?) { value = (data, status, error) }
        func get() -> (Data?, Int?, (any Error)?) { value }
    }

    /// A new experiment and a running MLflow run in it, as the wrapped program's own would be.
    private static func newRun(_ base: String) throws -> String {
        let experiment = try call(base, "POST", "experiments/create", body: ["name": "footprint-wrap-" + UUID().uuidString.lowercased()])
        let experimentID = try #require(experiment["experiment_id"] as? String)
        let run = try call(base, "POST", "runs/create", body: ["experiment_id": experimentID, "start_time": 1_700_000_000_000])
        return try #require((run["run"] as? [String: Any]).flatMap { $0["info"] as? [String: Any] }?["run_id"] as? String)
    }

    /// Wraps the PyTorch loop with `environment`, reads the MLflow run back and checks it holds
    /// Footprint's figures for that very run.
    private func wrapAndReadBack(base: String, runID: String, environment: [String: String]) throws {
        let python = try FrameworkPython.requirePath()
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let (outcome, document) = try FrameworkPython.wrap(
            binary, in: directory,
            program: [python, FrameworkPython.fixture("torch_loop.py"), directory.appendingPathComponent("facts.json").path],
            environment: environment)
        #expect(!outcome.standardError.contains("warning: not logged"), "\(outcome.standardError)")

        let run = try Self.call(base, "GET", "runs/get?run_id=\(runID)")
        let data = try #require((run["run"] as? [String: Any])?["data"] as? [String: Any])
        let metrics = try #require(data["metrics"] as? [[String: Any]])
        let latest = Dictionary(metrics.compactMap { m in (m["key"] as? String).map { ($0, m["value"] as? Double ?? .nan) } }) { a, _ in a }
        let energy = try #require(document["energy"] as? [String: Any])
        let joules = try #require(energy["joules"] as? Double)
        func close(_ key: String, _ expected: Double?) {
            guard let expected else {
                Issue.record("the document has no figure for \(key)")
                return
            }
            let logged = latest[key] ?? .nan
            #expect(abs(logged - expected) <= 1e-9 * max(abs(expected), 1e-12), "\(key): logged \(logged), run \(expected)")
        }
        close("footprint_energy_joules", joules)
        close("footprint_training_energy_joules", energy["trainingJoules"] as? Double)
        close("footprint_co2e_grams", (document["carbon"] as? [String: Any])?["gramsCO2e"] as? Double)
        close("footprint_flops", ((document["flops"] as? [String: Any])?["total"] as? Int).map(Double.init))
        close("footprint_seconds", (document["seconds"] as? [String: Any])?["wall"] as? Double)
        #expect(latest["footprint_energy_joules"] != nil)

        let tags = try #require(data["tags"] as? [[String: String]])
        let tagValues = Dictionary(tags.compactMap { t in t["key"].map { ($0, t["value"] ?? "") } }) { a, _ in a }
        #expect(tagValues["footprint_run_uuid"] == document["uuid"] as? String)
        #expect(tagValues["footprint_provenance"]?.hasPrefix("estimated") == true, "\(tagValues)")
        #expect(tagValues["footprint_meters"] == "estimate", "\(tagValues)")

        let history = try Self.call(base, "GET", "metrics/get-history?run_id=\(runID)&metric_key=footprint_epoch_energy_joules")
        let points = try #require(history["metrics"] as? [[String: Any]])
        let epochs = try #require(document["history"] as? [[String: Any]])
        let expected = epochs.compactMap { e in (e["epoch"] as? Int).flatMap { i in (e["joules"] as? Double).map { (i, $0) } } }
        #expect(expected.count == 2)
        let logged = points.compactMap { p in (p["step"] as? Int).flatMap { s in (p["value"] as? Double).map { (s, $0) } } }
            .sorted { $0.0 < $1.0 }
        #expect(logged.map(\.0) == expected.map(\.0))
        for (got, want) in zip(logged, expected) { #expect(abs(got.1 - want.1) <= 1e-9 * max(want.1, 1e-12)) }
    }

    @Test(.enabled(if: serverShouldRun, "needs FOOTPRINT_TEST_MLFLOW_URL (.ci/mlflow.sh) and FOOTPRINT_TEST_PYTHON"))
    func aWrappedRunIsLoggedIntoTheMLflowRunOfItsEnvironment() throws {
        guard let base = Self.serverURL else {
            Issue.record("CI=true but FOOTPRINT_TEST_MLFLOW_URL is unset: this test needs an MLflow server (.ci/mlflow.sh).")
            return
        }
        let runID = try Self.newRun(base)
        try wrapAndReadBack(base: base, runID: runID, environment: ["MLFLOW_RUN_ID": runID, "MLFLOW_TRACKING_URI": base])
    }

    @Test(.enabled(if: serverShouldRun, "needs FOOTPRINT_TEST_MLFLOW_URL (.ci/mlflow.sh) and FOOTPRINT_TEST_PYTHON"))
    func aWrappedRunIsLoggedIntoTheMLflowRunItsTrackingEventNames() throws {
        guard let base = Self.serverURL else {
            Issue.record("CI=true but FOOTPRINT_TEST_MLFLOW_URL is unset: this test needs an MLflow server (.ci/mlflow.sh).")
            return
        }
        let runID = try Self.newRun(base)
        // Nothing in the environment: only the program's `tracking` event names the run.
        try wrapAndReadBack(
            base: base, runID: runID, environment: ["FIXTURE_MLFLOW_RUN_ID": runID, "FIXTURE_MLFLOW_TRACKING_URI": base])
    }

    @Test func aTrackingServerThatDoesNotAnswerCostsOneWarningNotTheRun() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let port = try Self.closedPort()
        let outcome = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--json", "--", "/bin/sh", "-c", "exit 0"], in: directory,
            environment: ["MLFLOW_RUN_ID": "0123456789abcdef", "MLFLOW_TRACKING_URI": "http://user:s3cret@127.0.0.1:\(port)"])
        #expect(outcome.status == 0)
        let warnings = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("footprint: warning:") }
        #expect(warnings.count == 1, "\(outcome.standardError)")
        #expect(warnings.first?.contains("not logged to MLflow run 0123456789abcdef") == true, "\(warnings)")
        #expect(!outcome.standardError.contains("s3cret"))
        // The run is recorded and printed as usual.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "completed")
    }

    @Test func aProgramWithoutMLflowIsNotWarnedAbout() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--", "/bin/sh", "-c", "exit 3"], in: directory,
            environment: ["MLFLOW_RUN_ID": "", "MLFLOW_TRACKING_URI": ""])
        #expect(outcome.status == 3)
        #expect(!outcome.standardError.contains("MLflow"), "\(outcome.standardError)")
    }

    /// A loopback port nothing listens on: bound, read and closed again.
    private static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
