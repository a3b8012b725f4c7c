import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server that answers `GET /metrics` with a ``RunMetrics``'s text, for a
/// Prometheus to scrape while a run lasts; every other path is 404.
///
/// It runs on one event-loop thread of its own, so a scrape never waits for the run's thread,
/// and stops with ``shutdown()``.
public final class MetricsServer: Sendable {
    /// The address it listens on.
    public let address: String
    /// The port it listens on (the one the system picked when asked for port 0).
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    private init(address: String, port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.address = address
        self.port = port
        self.group = group
        self.channel = channel
    }

    /// The URL to scrape: `http://127.0.0.1:9464/metrics`.
    public var url: String {
        let host = address.contains(":") ? "[" + address + "]" : address
        return "http://\(host):\(port)/metrics"
    }

    /// Starts listening.
    ///
    /// - Parameters:
    ///   - address: An IP address of this host (`127.0.0.1` keeps the metrics on this machine;
    ///     `0.0.0.0` lets a Prometheus on another host scrape them).
    ///   - port: The TCP port; 0 lets the system pick a free one (read it from ``port``).
    ///   - metrics: What to serve.
    /// - Returns: The listening server.
    /// - Throws: ``MetricsError/portInUse(address:port:)`` when another program has the port;
    ///   ``MetricsError/cannotListen(address:port:reason:)`` for any other failure to bind.
    public static func start(address: String = "127.0.0.1", port: Int, metrics: RunMetrics) throws(MetricsError) -> MetricsServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 16)
            // SO_REUSEADDR lets a restarted run take the port back from connections in TIME_WAIT;
            // it does not let two listeners share it, so a port in use is still refused.
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics))
                }
            }
        do {
            let channel = try bootstrap.bind(host: address, port: port).wait()
            let boundPort = channel.localAddress?.port ?? port
            return MetricsServer(address: address, port: boundPort, group: group, channel: channel)
        } catch {
            try? group.syncShutdownGracefully()
            if let error = error as? IOError, error.errnoCode == EADDRINUSE {
                throw .portInUse(address: address, port: port)
            }
            throw .cannotListen(address: address, port: port, reason: "\(error)")
        }
    }

    /// Stops listening, closes open connections and ends the server's thread; later calls do nothing.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}
