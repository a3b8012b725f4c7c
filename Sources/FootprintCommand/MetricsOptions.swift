import ArgumentParser
import Footprint
import FootprintMetrics
import Foundation

/// `--metrics-port`, `--metrics-address`, `--pushgateway` and `--push-interval`, shared by
/// `train` and `wrap`: live Prometheus metrics of the run while it lasts.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-port"),
        help: ArgumentHelp(
            "Serve the run's live metrics (energy, power, CO2e, FLOPs, epochs) for Prometheus at http://ADDRESS:PORT/metrics while it runs; 0 picks a free port. The URL is printed on stderr.",
            valueName: "port"))
    var metricsPort: Int?

    @Option(
        name: .customLong("metrics-address"),
        help: ArgumentHelp(
            "The address the metrics endpoint listens on (default 127.0.0.1, this machine only; 0.0.0.0 lets a Prometheus on another host scrape it).",
            valueName: "ip"))
    var metricsAddress: String?

    @Option(
        name: .customLong("pushgateway"),
        help: ArgumentHelp(
            "Also push the metrics to this Prometheus Pushgateway every --push-interval and once at the end, in the group job=<job key or footprint>, instance=<node>:rank-<rank>, so ranks never overwrite each other.",
            valueName: "url"))
    var pushgateway: String?

    @Option(
        name: .customLong("push-interval"),
        help: ArgumentHelp("Seconds between pushes to --pushgateway while the run lasts (default 10).", valueName: "s"))
    var pushIntervalSeconds: Double?

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535 (0 picks a free port), got \(metricsPort).")
        }
        if let metricsAddress {
            guard metricsPort != nil else { throw ValidationError("--metrics-address needs --metrics-port.") }
            guard Self.isIPAddress(metricsAddress) else {
                throw ValidationError(
                    "--metrics-address must be an IP address of this host, such as 127.0.0.1, 0.0.0.0 or ::, got '\(metricsAddress)'.")
            }
        }
        if let pushgateway {
            do {
                _ = try PushgatewayEndpoint(url: pushgateway)
            } catch {
                throw ValidationError("\(error).")
            }
        }
        if let pushIntervalSeconds {
            guard pushgateway != nil else { throw ValidationError("--push-interval needs --pushgateway.") }
            guard pushIntervalSeconds >= 0.1 && pushIntervalSeconds <= 3600 else {
                throw ValidationError("--push-interval must be between 0.1 and 3600 seconds, got \(pushIntervalSeconds).")
            }
        }
    }

    /// Starts the endpoint and the push client the flags ask for, before any run starts.
    ///
    /// - Returns: nil when no flag asks for live metrics.
    /// - Throws: `ExitCode(1)` after one line on stderr when the port is taken or cannot be bound.
    func startPublisher() throws -> LiveMetricsPublisher? {
        guard metricsPort != nil || pushgateway != nil else { return nil }
        let metrics = RunMetrics()
        var server: MetricsServer?
        if let metricsPort {
            do {
                server = try MetricsServer.start(address: metricsAddress ?? "127.0.0.1", port: metricsPort, metrics: metrics)
            } catch {
                printError("footprint: \(error).")
                throw ExitCode(1)
            }
            if let server { printError("footprint: metrics at \(server.url)") }
        }
        // validate() has parsed the URL already.
        let client = try pushgateway.map { try PushgatewayClient(url: $0) }
        return LiveMetricsPublisher(
            metrics: metrics, server: server, pushgateway: client, pushIntervalSeconds: pushIntervalSeconds ?? 10,
            warn: { printError("footprint: \($0)") })
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
