/// Why live metrics could not be served or pushed; each description says what failed, where,
/// and what to do.
public enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another program already listens on the metrics port.
    case portInUse(address: String, port: Int)
    /// The endpoint could not listen for another reason (an address not on this host, a port
    /// below 1024 without the right to bind it).
    case cannotListen(address: String, port: Int, reason: String)
    /// `--pushgateway` is not a URL the client can push to.
    case invalidPushgatewayURL(String, reason: String)
    /// One push did not reach the Pushgateway or was refused; `url` has no credentials.
    case pushFailed(url: String, reason: String)

    public var description: String {
        switch self {
        case let .portInUse(address, port):
            "the metrics port \(port) on \(address) is already in use by another program: choose another with --metrics-port PORT, or --metrics-port 0 to pick a free one (printed on stderr)"
        case let .cannotListen(address, port, reason):
            "cannot serve metrics on \(address):\(port): \(reason). Check --metrics-address (an address of this host, such as 127.0.0.1 or 0.0.0.0) and --metrics-port"
        case let .invalidPushgatewayURL(url, reason):
            "--pushgateway '\(url)' is not usable: \(reason). Give the Pushgateway's base URL, such as http://pushgateway.example:9091"
        case let .pushFailed(url, reason):
            "pushing metrics to \(url) failed: \(reason)"
        }
    }
}
