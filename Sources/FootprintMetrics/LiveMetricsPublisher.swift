import Vocabulary

/// A run's live metrics and where they go: the registry, the `/metrics` endpoint and the
/// Pushgateway push, behind one ``observe(_:)`` to hand to ``TrackerOptions/liveObserver``.
///
/// ```swift
/// let server = try MetricsServer.start(port: 9464, metrics: metrics)
/// let publisher = LiveMetricsPublisher(metrics: metrics, server: server, pushgateway: nil, warn: { print($0) })
/// options.liveObserver = { publisher.observe($0) }
/// defer { publisher.close() }
/// ```
///
/// The endpoint serves from before the run starts until ``close()``, which the command calls
/// once its runs have ended (after their final snapshots); it does not linger for one more
/// scrape, since the final figures reach a Prometheus through the Pushgateway's final push, or
/// through the run's store.
public final class LiveMetricsPublisher: Sendable {
    /// The registry both outlets read.
    public let metrics: RunMetrics
    /// The endpoint, when one was asked for.
    public let server: MetricsServer?
    private let pusher: PeriodicPusher?

    /// Joins the outlets.
    ///
    /// - Parameters:
    ///   - metrics: The registry the server serves.
    ///   - server: A started endpoint, or nil.
    ///   - pushgateway: Where to push, or nil.
    ///   - pushIntervalSeconds: Seconds between pushes while a run lasts.
    ///   - warn: Receives a failed push's message (the first periodic one and a failed final one).
    public init(
        metrics: RunMetrics, server: MetricsServer?, pushgateway: PushgatewayClient?, pushIntervalSeconds: Double = 10,
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.metrics = metrics
        self.server = server
        pusher = pushgateway.map { PeriodicPusher(client: $0, metrics: metrics, intervalSeconds: pushIntervalSeconds, warn: warn) }
    }

    /// Records a snapshot; the final one is also pushed at once.
    ///
    /// - Parameter snapshot: What the run has done so far.
    public func observe(_ snapshot: LiveRunSnapshot) {
        metrics.record(snapshot)
        pusher?.note(snapshot)
    }

    /// Stops pushing and serving; later calls do nothing.
    public func close() {
        pusher?.stop()
        server?.shutdown()
    }
}
