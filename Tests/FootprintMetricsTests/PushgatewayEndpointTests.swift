import Foundation
import Testing

@testable import FootprintMetrics

@Suite struct PushgatewayEndpointTests {
    @Test func parsesHostPortPrefixAndCredentialsAndShowsNoCredentials() throws {
        let endpoint = try PushgatewayEndpoint(url: "http://bob:s3cret@gateway.example:9091/push/")
        #expect(endpoint.host == "gateway.example" && endpoint.port == 9091 && endpoint.pathPrefix == "/push")
        #expect(endpoint.credentials == "bob:s3cret")
        #expect(endpoint.displayURL == "http://gateway.example:9091/push")
        #expect(try PushgatewayEndpoint(url: "http://127.0.0.1").port == 80)
        #expect(try PushgatewayEndpoint(url: "http://[::1]:9091").displayURL == "http://[::1]:9091")
        // A URL copied with /metrics at the end still pushes to the right place.
        #expect(try PushgatewayEndpoint(url: "http://h:9091/metrics").pathPrefix == "")
    }

    @Test(arguments: ["https://gateway:9091", "gateway:9091", "http://", "http://h:9091/?a=b", "ftp://h", "not a url", "http://h:99999"])
    func refusesURLsItCannotPushTo(_ url: String) {
        #expect(throws: MetricsError.self) { try PushgatewayEndpoint(url: url) }
    }

    @Test func groupingPathEncodesUnsafeValuesInURLSafeBase64() throws {
        let endpoint = try PushgatewayEndpoint(url: "http://h:9091")
        #expect(endpoint.groupingPath(job: "slurm:77", instance: "node-a:rank-1") == "/metrics/job/slurm:77/instance/node-a:rank-1")
        // "a/b?" in URL-safe base64 is "YS9iPw==": no '/' or '+' may reach the path.
        #expect(endpoint.groupingPath(job: "a/b?", instance: "") == "/metrics/job@base64/YS9iPw==/instance@base64/=")
        let decoded = Data(base64Encoded: "YS9iPw==").map { String(decoding: $0, as: UTF8.self) }
        #expect(decoded == "a/b?")
        #expect(PushgatewayEndpoint.segment("job", "ü>~") == "/job@base64/w7w-fg==")
    }

    @Test func groupsARankByJobAndNodeAndRank() {
        var snapshot = RunMetricsTests.snapshot(seconds: 1, epochs: 0)
        #expect(PushgatewayClient.grouping(for: snapshot) == ("slurm:77", "node-b:rank-3"))
        snapshot.job = nil
        #expect(PushgatewayClient.grouping(for: snapshot) == ("footprint", "node-b.example"))
    }

    @Test func aPushThatCannotConnectSaysWhereWithoutCredentials() throws {
        // Port 1 on loopback: nothing listens there, and connecting is refused at once.
        let client = try PushgatewayClient(url: "http://user:pw@127.0.0.1:1", timeoutSeconds: 2)
        do {
            try client.push(Array("x 1\n".utf8), job: "j", instance: "i")
            Issue.record("the push to a closed port succeeded")
        } catch {
            #expect(error.description.contains("http://127.0.0.1:1/metrics/job/j/instance/i"))
            #expect(!error.description.contains("pw"))
            #expect(error.description.contains("refused"))
        }
    }

    @Test func aPushRefusedByTheServerCarriesItsStatus() throws {
        // The metrics endpoint answers a push path with 404, as a server that is not a Pushgateway would.
        let server = try MetricsServer.start(port: 0, metrics: RunMetrics())
        defer { server.shutdown() }
        let client = try PushgatewayClient(url: "http://127.0.0.1:\(server.port)")
        #expect(
            throws: MetricsError.pushFailed(
                url: "http://127.0.0.1:\(server.port)/metrics/job/j/instance/i",
                reason: "HTTP status 404: Not found: footprint serves its metrics at /metrics")
        ) {
            try client.push(Array("x 1\n".utf8), job: "j", instance: "i")
        }
    }
}
