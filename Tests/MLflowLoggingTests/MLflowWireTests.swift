import Foundation
import Testing

@testable import MLflowLogging

/// The logger over real sockets on loopback: what URLSession puts on the wire, and how long a
/// closed port or a server that never answers costs.
@Suite struct MLflowWireTests {
    @Test func requestOnTheWireCarriesTheAuthorizationHeaderAndNoCredentialsInTheRequestLine() throws {
        let server = try LoopbackHTTPServer(.answer(status: 200, body: "{}"))
        defer { server.stop() }
        let result = MLflowLogger(timeoutSeconds: 5)
            .log(
                MLflowLoggerTests.facts, runID: "wire-run", trackingURI: "http://alice:hunter22@127.0.0.1:\(server.port)", environment: [:])
        #expect(result == .logged(metrics: 9, requests: 1))
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\n"))
        let header = "authorization: basic " + Data("alice:hunter22".utf8).base64EncodedString().lowercased()
        #expect(request.lowercased().contains(header))
        #expect(!request.contains("hunter22"))
        #expect(request.contains(#""run_id":"wire-run""#))
    }

    @Test func closedPortIsNotLoggedQuicklyAndNamesTheServerWithoutCredentials() throws {
        let port = try LoopbackHTTPServer.closedPort()
        let started = ContinuousClock.now
        let result = MLflowLogger(timeoutSeconds: 2)
            .log(MLflowLoggerTests.facts, runID: "r-closed", trackingURI: "http://u:hunter22@127.0.0.1:\(port)", environment: [:])
        let elapsed = ContinuousClock.now - started
        guard case .notLogged(let reason) = result else {
            Issue.record("a closed port logged: \(result)")
            return
        }
        #expect(elapsed < .seconds(2.5))
        #expect(reason.contains("http://127.0.0.1:\(port)") && reason.contains("r-closed"))
        #expect(!reason.contains("hunter22"))
        #expect(reason.contains("Check that the tracking server is running"))
    }

    @Test func serverThatNeverAnswersCostsAtMostTheTimeout() throws {
        let server = try LoopbackHTTPServer(.silent)
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = MLflowLogger(timeoutSeconds: 1)
            .log(MLflowLoggerTests.facts, runID: "r-silent", trackingURI: "http://127.0.0.1:\(server.port)", environment: [:])
        let elapsed = ContinuousClock.now - started
        guard case .notLogged(let reason) = result else {
            Issue.record("a silent server logged: \(result)")
            return
        }
        #expect(elapsed >= .seconds(0.9) && elapsed < .seconds(2), "took \(elapsed): \(reason)")
        #expect(reason.contains("did not answer within 1 s"), "\(reason)")
    }

    @Test func redirectIsNotFollowedSoCredentialsStayWithTheNamedHost() throws {
        let elsewhere = try LoopbackHTTPServer(.answer(status: 200, body: "{}"))
        defer { elsewhere.stop() }
        let location = "http://127.0.0.1:\(elsewhere.port)/api/2.0/mlflow/runs/log-batch"
        let redirecting = try LoopbackHTTPServer(.answer(status: 307, body: "", headers: ["Location": location]))
        defer { redirecting.stop() }
        let result = MLflowLogger(timeoutSeconds: 3)
            .log(MLflowLoggerTests.facts, runID: "r", trackingURI: "http://u:pw@127.0.0.1:\(redirecting.port)", environment: [:])
        guard case .notLogged(let reason) = result else {
            Issue.record("a redirect counted as logged: \(result)")
            return
        }
        #expect(reason.contains("HTTP 307"), "\(reason)")
        #expect(elsewhere.requests.isEmpty)
    }
}
