import Foundation
import Synchronization
import Testing

@testable import MLflowLogging

/// A transport that records each request and answers from a script, without a network.
final class RecordingTransport: MLflowTransport {
    private let answers: Mutex<[MLflowHTTPResponse]>
    private let recorded = Mutex<[(MLflowHTTPRequest, Double)]>([])

    init(_ answers: [MLflowHTTPResponse]) { self.answers = Mutex(answers) }

    var requests: [MLflowHTTPRequest] { recorded.withLock { $0.map(\.0) } }
    var timeouts: [Double] { recorded.withLock { $0.map(\.1) } }

    func send(_ request: MLflowHTTPRequest, timeoutSeconds: Double) -> MLflowHTTPResponse {
        recorded.withLock { $0.append((request, timeoutSeconds)) }
        return answers.withLock { $0.isEmpty ? .answered(status: 200, body: Data("{}".utf8)) : $0.removeFirst() }
    }
}

@Suite struct MLflowLoggerTests {
    static let facts = MLflowLogBatchTests.facts(epochs: 4)

    private static func reason(_ result: MLflowLogResult) -> String? {
        guard case .notLogged(let reason) = result else { return nil }
        return reason
    }

    @Test func postsToLogBatchUnderThePathPrefixWithBasicAuthAndNoUserInURL() throws {
        let transport = RecordingTransport([])
        let result = MLflowLogger(timeoutSeconds: 5, transport: transport)
            .log(Self.facts, runID: "r1", trackingURI: "https://alice:hunter22@host:8443/mlflow/", environment: [:])
        #expect(result == .logged(metrics: 9, requests: 1))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://host:8443/mlflow/api/2.0/mlflow/runs/log-batch")
        #expect(request.headers["Authorization"] == "Basic " + Data("alice:hunter22".utf8).base64EncodedString())
        #expect(request.headers["Content-Type"] == "application/json")
        let data = try #require(request.body)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(body["run_id"] as? String == "r1")
    }

    @Test func bearerTokenFromTheEnvironment() throws {
        let transport = RecordingTransport([])
        _ = MLflowLogger(timeoutSeconds: 5, transport: transport)
            .log(
                Self.facts, runID: nil, trackingURI: nil,
                environment: ["MLFLOW_RUN_ID": "r", "MLFLOW_TRACKING_URI": "http://h:1", "MLFLOW_TRACKING_TOKEN": "tok"])
        #expect(transport.requests.first?.headers["Authorization"] == "Bearer tok")
    }

    @Test func manyEpochsGoInSeveralRequestsAndAreCounted() {
        let transport = RecordingTransport([])
        let result = MLflowLogger(timeoutSeconds: 5, transport: transport, maximumEntriesPerBatch: 4)
            .log(Self.facts, runID: "r", trackingURI: "http://h:1", environment: [:])
        // 3 tags and 9 metrics, 4 entries a request.
        #expect(result == .logged(metrics: 9, requests: 3))
        #expect(transport.requests.count == 3)
    }

    @Test func noRunIsNotRequestedAndSendsNothing() {
        let transport = RecordingTransport([])
        let result = MLflowLogger(timeoutSeconds: 5, transport: transport).log(
            Self.facts, runID: nil, trackingURI: "http://h:1", environment: [:])
        #expect(result == .notRequested)
        #expect(transport.requests.isEmpty)
    }

    @Test func refusedCredentialsNameServerAndRunAndWhatToDoButNotThePassword() throws {
        // A server that echoes what it got: the password and the header must still not come back.
        let echo = #"{"error_code":"PERMISSION_DENIED","message":"bad user alice:hunter22 / Basic YWxpY2U6aHVudGVyMjI="}"#
        let transport = RecordingTransport([.answered(status: 401, body: Data(echo.utf8))])
        let result = MLflowLogger(timeoutSeconds: 5, transport: transport)
            .log(Self.facts, runID: "r9", trackingURI: "http://alice:hunter22@host:5000", environment: [:])
        let reason = try #require(Self.reason(result))
        #expect(!reason.contains("hunter22"))
        #expect(!reason.contains("YWxpY2U6aHVudGVyMjI="))
        #expect(reason.contains("http://host:5000") && reason.contains("r9"))
        #expect(reason.contains("refused the credentials (HTTP 401)") && reason.contains("MLFLOW_TRACKING_TOKEN"))
    }

    @Test func unknownRunSaysToCheckTheRunIDAndServer() throws {
        let body = #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run with id=r0 not found"}"#
        let transport = RecordingTransport([.answered(status: 404, body: Data(body.utf8))])
        let reason = try #require(
            Self.reason(
                MLflowLogger(timeoutSeconds: 5, transport: transport).log(
                    Self.facts, runID: "r0", trackingURI: "http://h:1", environment: [:])))
        #expect(reason.contains("HTTP 404: RESOURCE_DOES_NOT_EXIST Run with id=r0 not found"))
        #expect(reason.contains("Check that the run id belongs to this tracking server"))
    }

    @Test func aFailureAfterTheFirstRequestSaysHowMuchWasLogged() throws {
        let transport = RecordingTransport([.answered(status: 200, body: Data("{}".utf8)), .failed(description: "connection refused")])
        let result = MLflowLogger(timeoutSeconds: 5, transport: transport, maximumEntriesPerBatch: 4)
            .log(Self.facts, runID: "r", trackingURI: "http://h:1", environment: [:])
        let reason = try #require(Self.reason(result))
        #expect(reason.contains("after 1 of 9 metrics in 1 of 3 requests"))
        #expect(reason.contains("no answer (connection refused)"))
        #expect(transport.requests.count == 2)
    }

    @Test func eachRequestGetsOnlyWhatIsLeftOfTheTotalTimeout() {
        let transport = RecordingTransport([])
        _ = MLflowLogger(timeoutSeconds: 2, transport: transport, maximumEntriesPerBatch: 4)
            .log(Self.facts, runID: "r", trackingURI: "http://h:1", environment: [:])
        #expect(transport.timeouts.count == 3)
        #expect(transport.timeouts.allSatisfy { $0 > 0 && $0 <= 2 })
        #expect(transport.timeouts == transport.timeouts.sorted(by: >))
    }

    @Test func unsupportedTrackingURIIsNotLoggedWithoutSending() throws {
        let transport = RecordingTransport([])
        let reason = try #require(
            Self.reason(
                MLflowLogger(timeoutSeconds: 5, transport: transport).log(
                    Self.facts, runID: "r", trackingURI: "databricks", environment: [:])))
        #expect(reason.contains("only an MLflow tracking server over HTTP(S) is supported"))
        #expect(transport.requests.isEmpty)
    }
}
