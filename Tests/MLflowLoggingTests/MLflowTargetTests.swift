import Foundation
import Testing

@testable import MLflowLogging

@Suite struct MLflowTargetTests {
    private static func target(_ resolution: MLflowTargetResolution) throws -> MLflowTarget {
        guard case .target(let target) = resolution else {
            Issue.record("expected a target, got \(resolution)")
            throw CancellationError()
        }
        return target
    }

    private static func reason(_ resolution: MLflowTargetResolution) -> String? {
        guard case .unsupported(let reason) = resolution else { return nil }
        return reason
    }

    @Test func explicitValuesFromTheTrackingEventWinOverTheEnvironment() throws {
        let target = try Self.target(
            MLflowTarget.resolve(
                runID: "event-run", trackingURI: "http://event-host:5000/",
                environment: ["MLFLOW_RUN_ID": "env-run", "MLFLOW_TRACKING_URI": "http://env-host:5000"]))
        #expect(target.runID == "event-run")
        #expect(target.baseURL.absoluteString == "http://event-host:5000")
        #expect(target.credentials == .none)
    }

    @Test func environmentFillsWhatTheEventLeftOutEachOnItsOwn() throws {
        let environment = ["MLFLOW_RUN_ID": "env-run", "MLFLOW_TRACKING_URI": "https://env-host/mlflow/"]
        let uriFromEnvironment = try Self.target(MLflowTarget.resolve(runID: "event-run", trackingURI: nil, environment: environment))
        #expect(uriFromEnvironment.runID == "event-run")
        #expect(uriFromEnvironment.baseURL.absoluteString == "https://env-host/mlflow")
        let runFromEnvironment = try Self.target(MLflowTarget.resolve(runID: " ", trackingURI: "http://h:1", environment: environment))
        #expect(runFromEnvironment.runID == "env-run")
        #expect(runFromEnvironment.baseURL.absoluteString == "http://h:1")
    }

    @Test func noRunIDAnywhereIsNotRequestedEvenWithATrackingURI() {
        guard case .notRequested = MLflowTarget.resolve(runID: nil, trackingURI: nil, environment: ["MLFLOW_TRACKING_URI": "http://h:1"])
        else {
            Issue.record("a tracking URI without a run is not a request to log")
            return
        }
        guard case .notRequested = MLflowTarget.resolve(runID: "", trackingURI: nil, environment: ["MLFLOW_RUN_ID": ""]) else {
            Issue.record("empty run ids are absent")
            return
        }
    }

    @Test(arguments: ["file:///home/me/mlruns", "databricks", "databricks://profile", "sqlite:///mlflow.db", "/home/me/mlruns"])
    func localStoresAndDatabricksAreNotLoggedWithAReason(uri: String) throws {
        let reason = try #require(Self.reason(MLflowTarget.resolve(runID: "r1", trackingURI: uri, environment: [:])))
        #expect(reason.hasPrefix("not logged to MLflow run r1"))
        #expect(reason.contains("only an MLflow tracking server over HTTP(S) is supported"))
        #expect(reason.contains(uri))
    }

    @Test func aRunWithoutATrackingURIIsNotLoggedAndSaysWhatToSet() throws {
        let reason = try #require(Self.reason(MLflowTarget.resolve(runID: nil, trackingURI: nil, environment: ["MLFLOW_RUN_ID": "r2"])))
        #expect(reason.contains("r2"))
        #expect(reason.contains("only an MLflow tracking server over HTTP(S) is supported"))
        #expect(reason.contains("MLFLOW_TRACKING_URI"))
    }

    @Test func unsupportedReasonNeverShowsThePassword() throws {
        let reason = try #require(
            Self.reason(MLflowTarget.resolve(runID: "r", trackingURI: "postgresql://u:hunter22@db/mlflow", environment: [:])))
        #expect(!reason.contains("hunter22"))
        #expect(reason.contains("postgresql://db/mlflow"))
    }

    @Test func uriUserInformationBecomesBasicCredentialsAndLeavesTheURL() throws {
        let target = try Self.target(
            MLflowTarget.resolve(runID: "r", trackingURI: "https://alice:p%40ss@host:8443/x?y=1", environment: [:]))
        #expect(target.credentials == .basic(user: "alice", password: "p@ss"))
        #expect(target.baseURL.absoluteString == "https://host:8443/x")
        #expect(target.authorizationHeader == "Basic " + Data("alice:p@ss".utf8).base64EncodedString())
    }

    @Test func environmentCredentialsComeBeforeTheURIsInMLflowsOrder() throws {
        let uri = "http://alice:from-uri@host"
        let both = try Self.target(
            MLflowTarget.resolve(
                runID: "r", trackingURI: uri,
                environment: ["MLFLOW_TRACKING_USERNAME": "bob", "MLFLOW_TRACKING_PASSWORD": "pw", "MLFLOW_TRACKING_TOKEN": "tok"]))
        #expect(both.credentials == .basic(user: "bob", password: "pw"))
        let token = try Self.target(
            MLflowTarget.resolve(
                runID: "r", trackingURI: uri, environment: ["MLFLOW_TRACKING_USERNAME": "bob", "MLFLOW_TRACKING_TOKEN": "tok"]))
        #expect(token.credentials == .bearer(token: "tok"))
        #expect(token.authorizationHeader == "Bearer tok")
        let uriOnly = try Self.target(MLflowTarget.resolve(runID: "r", trackingURI: uri, environment: [:]))
        #expect(uriOnly.credentials == .basic(user: "alice", password: "from-uri"))
    }

    @Test func descriptionAndDumpNeverShowCredentials() throws {
        let target = try Self.target(
            MLflowTarget.resolve(
                runID: "r", trackingURI: "http://alice:hunter22@host:5000", environment: ["MLFLOW_TRACKING_TOKEN": "tok-xyz"]))
        var dumped = ""
        dump(target, to: &dumped)
        for text in [target.description, "\(target)", String(reflecting: target), dumped] {
            #expect(!text.contains("hunter22") && !text.contains("tok-xyz"), "\(text)")
        }
        #expect(target.description == "MLflow run r at http://host:5000")
    }
}
