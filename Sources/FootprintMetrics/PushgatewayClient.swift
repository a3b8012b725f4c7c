import Vocabulary

/// Pushes a registry's text to a Prometheus Pushgateway, one group per job rank.
///
/// A push is `POST <base>/metrics/job/<job>/instance/<instance>`: POST replaces only the
/// metrics of the same name in that one group, and every rank of a job pushes to a group of
/// its own (instance `node-a:rank-1`), so nodes never overwrite each other.
public struct PushgatewayClient: Sendable {
    /// Where pushes go.
    public let endpoint: PushgatewayEndpoint
    /// The longest a push may take to connect, send, or wait for the answer, seconds.
    public var timeoutSeconds: Double

    /// A client for `url`.
    ///
    /// - Parameters:
    ///   - url: The Pushgateway's base URL, `http://host:9091`.
    ///   - timeoutSeconds: The longest each step of a push may take.
    /// - Throws: ``MetricsError/invalidPushgatewayURL(_:reason:)`` for a URL it cannot push to.
    public init(url: String, timeoutSeconds: Double = 5) throws(MetricsError) {
        endpoint = try PushgatewayEndpoint(url: url)
        self.timeoutSeconds = timeoutSeconds
    }

    /// The grouping key of a run: the job key (`footprint` for a run on its own) and the node
    /// with the rank when there is one (`node-a:rank-1`, else `node-a`).
    ///
    /// - Parameter snapshot: Any snapshot of the run.
    /// - Returns: The `job` and `instance` labels of its group.
    public static func grouping(for snapshot: LiveRunSnapshot) -> (job: String, instance: String) {
        let job = snapshot.job?.key ?? "footprint"
        let node = snapshot.job?.node ?? snapshot.host
        let rank = snapshot.job?.rank.map { ":rank-\($0)" } ?? ""
        return (job.isEmpty ? "footprint" : job, node + rank)
    }

    /// Replaces the group's metrics of the same names with those in `text`.
    ///
    /// - Parameters:
    ///   - text: Metrics in the Prometheus text format.
    ///   - job: The group's job label.
    ///   - instance: The group's instance label.
    /// - Throws: ``MetricsError/pushFailed(url:reason:)`` when the Pushgateway cannot be reached
    ///   or answers other than 2xx (its message is included).
    public func push(_ text: [UInt8], job: String, instance: String) throws(MetricsError) {
        let path = endpoint.groupingPath(job: job, instance: instance)
        let answer = try HTTPRequest.perform(
            "POST", body: text, path: path, to: endpoint, contentType: MetricsHTTPHandler.contentType, timeoutSeconds: timeoutSeconds)
        guard (200..<300).contains(answer.status) else {
            let detail = answer.text.split(separator: "\n").first.map { ": " + $0.prefix(300) } ?? ""
            throw .pushFailed(
                url: endpoint.displayURL + path.dropFirst(endpoint.pathPrefix.count), reason: "HTTP status \(answer.status)\(detail)")
        }
    }
}
