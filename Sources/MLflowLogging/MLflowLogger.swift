import Foundation

/// Logs a finished run's facts into an MLflow run through the tracking server's REST API
/// (`POST {uri}/api/2.0/mlflow/runs/log-batch`).
///
/// It never throws and never waits longer than its timeout, in all requests together: a server
/// that is down, slow or refuses gives `.notLogged` with a reason to print as a warning.
public struct MLflowLogger: Sendable {
    /// The most time all requests of one `log` may take together, in seconds.
    public let timeoutSeconds: Double
    private let transport: any MLflowTransport
    private let maximumEntriesPerBatch: Int

    /// A logger over HTTP(S).
    ///
    /// - Parameter timeoutSeconds: The most time one `log` may take, all requests together (5 s by default).
    public init(timeoutSeconds: Double = 5) {
        self.init(timeoutSeconds: timeoutSeconds, transport: URLSessionTransport())
    }

    /// A logger over any transport, with a smaller batch limit if a test wants one.
    package init(timeoutSeconds: Double, transport: any MLflowTransport, maximumEntriesPerBatch: Int = MLflowLogBatch.maximumEntries) {
        self.timeoutSeconds = timeoutSeconds.isFinite && timeoutSeconds > 0 ? timeoutSeconds : 5
        self.transport = transport
        self.maximumEntriesPerBatch = maximumEntriesPerBatch
    }

    /// Logs `facts` into the program's MLflow run, found as `MLflowTarget.resolve` finds it.
    ///
    /// - Parameters:
    ///   - facts: The finished run's facts.
    ///   - runID: The run id the program sent in its `tracking` event, if any.
    ///   - trackingURI: The tracking URI the program sent, if any.
    ///   - environment: The wrapped program's environment (`MLFLOW_RUN_ID`, `MLFLOW_TRACKING_URI`, credentials).
    /// - Returns: `.logged`, `.notLogged` with the warning to print, or `.notRequested` when the program had no MLflow run.
    public func log(_ facts: MLflowRunFacts, runID: String?, trackingURI: String?, environment: [String: String]) -> MLflowLogResult {
        switch MLflowTarget.resolve(runID: runID, trackingURI: trackingURI, environment: environment) {
        case .notRequested: .notRequested
        case .unsupported(let reason): .notLogged(reason: reason)
        case .target(let target): log(facts, to: target)
        }
    }

    /// Logs `facts` into `target`'s run.
    ///
    /// - Parameters:
    ///   - facts: The finished run's facts.
    ///   - target: The MLflow run.
    /// - Returns: `.logged` with the number of metrics and requests, or `.notLogged` with the warning to print.
    public func log(_ facts: MLflowRunFacts, to target: MLflowTarget) -> MLflowLogResult {
        let metrics = MLflowLogBatch.metrics(of: facts)
        let batches = MLflowLogBatch.batches(
            runID: target.runID, metrics: metrics, tags: MLflowLogBatch.tags(of: facts), maximumEntries: maximumEntriesPerBatch)
        let url = target.baseURL.appendingPathComponent("api/2.0/mlflow/runs/log-batch")
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let authorization = target.authorizationHeader { headers["Authorization"] = authorization }
        // A monotonic deadline: a wall-clock step during the requests must not stretch or cut it.
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeoutSeconds))
        var logged = 0
        for (number, batch) in batches.enumerated() {
            let failure: String?
            let left = ContinuousClock.now.duration(to: deadline).components
            let remaining = Double(left.seconds) + Double(left.attoseconds) / 1e18
            if remaining <= 0 {
                failure = "the server took more than \(Self.seconds(timeoutSeconds)) in all"
            } else if let body = try? batch.body() {
                let request = MLflowHTTPRequest(url: url, method: "POST", headers: headers, body: body)
                failure = Self.failure(of: transport.send(request, timeoutSeconds: remaining), timeoutSeconds: timeoutSeconds)
            } else {
                failure = "a metric could not be encoded as JSON"
            }
            if let failure {
                let progress =
                    number == 0
                    ? "" : " after \(logged) of \(metrics.count) metrics in \(number) of \(batches.count) requests"
                let reason =
                    "not logged to MLflow run \(target.runID) at \(target.redactedTrackingURI)\(progress): \(failure); "
                    + "the run is kept in Footprint. \(Self.advice(for: failure))"
                return .notLogged(reason: MLflowRedaction.scrubbing(reason, secrets: target.secrets))
            }
            logged += batch.metrics.count
        }
        return .logged(metrics: logged, requests: batches.count)
    }

    /// Why a response is a failure, in words; `nil` for success (any 2xx).
    private static func failure(of response: MLflowHTTPResponse, timeoutSeconds: Double) -> String? {
        switch response {
        case .timedOut:
            return "the server did not answer within \(seconds(timeoutSeconds))"
        case .failed(let description):
            return "no answer (\(description))"
        case .answered(let status, _) where (200..<300).contains(status):
            return nil
        case .answered(let status, let body):
            let detail = serverError(body).map { ": \($0)" } ?? ""
            switch status {
            case 401, 403: return "the server refused the credentials (HTTP \(status))\(detail)"
            case 300..<400: return "the server redirected the request (HTTP \(status)), which Footprint does not follow"
            default: return "the server answered HTTP \(status)\(detail)"
            }
        }
    }

    /// MLflow's `{"error_code": …, "message": …}`, cut short, or the start of a body that is not that.
    private static func serverError(_ body: Data) -> String? {
        let limit = 300
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            let parts = [object["error_code"] as? String, object["message"] as? String].compactMap { $0 }
            if !parts.isEmpty { return String(parts.joined(separator: " ").prefix(limit)) }
        }
        let text = String(decoding: body.prefix(limit), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text.replacingOccurrences(of: "\n", with: " ")
    }

    /// What the user can do about a failure.
    private static func advice(for failure: String) -> String {
        if failure.contains("credentials") {
            return "Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN, for the program."
        }
        if failure.contains("RESOURCE_DOES_NOT_EXIST") {
            return "Check that the run id belongs to this tracking server (MLFLOW_TRACKING_URI)."
        }
        if failure.contains("redirected") {
            return "Set MLFLOW_TRACKING_URI to the server's final address."
        }
        return "Check that the tracking server is running and that MLFLOW_TRACKING_URI names it."
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%g s", value)
    }
}
