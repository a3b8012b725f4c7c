import Foundation

/// Where pushes go: a Pushgateway's base URL taken apart, and the grouping key's path.
public struct PushgatewayEndpoint: Sendable, Equatable {
    /// The host name or IP address.
    public var host: String
    /// The TCP port (80 when the URL names none).
    public var port: Int
    /// A path prefix the Pushgateway is served under (`/pushgateway`), empty for none.
    public var pathPrefix: String
    /// `user:password` from the URL, sent as HTTP basic authentication.
    var credentials: String?

    /// Parses `--pushgateway`.
    ///
    /// - Parameter url: `http://HOST[:PORT][/PREFIX]`, optionally with `user:password@`.
    /// - Throws: ``MetricsError/invalidPushgatewayURL(_:reason:)`` for another scheme (https
    ///   needs TLS, which this client does not speak), no host, a bad port, a query or a fragment.
    public init(url: String) throws(MetricsError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .invalidPushgatewayURL(url, reason: "it does not parse as a URL")
        }
        guard scheme == "http" else {
            throw .invalidPushgatewayURL(
                url, reason: "the scheme is \(scheme), and only http is supported (put a TLS proxy in front for https)")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidPushgatewayURL(url, reason: "it names no host") }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidPushgatewayURL(url, reason: "it has a query or fragment, which the push path cannot carry")
        }
        let port = components.port ?? 80
        guard (1...65535).contains(port) else { throw .invalidPushgatewayURL(url, reason: "port \(port) is out of range") }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if prefix.hasSuffix("/metrics") { prefix.removeLast("/metrics".count) }
        self.pathPrefix = prefix
        if let user = components.user {
            credentials = user + ":" + (components.password ?? "")
        }
    }

    /// The base URL without credentials, for messages.
    public var displayURL: String {
        let shownHost = host.contains(":") ? "[" + host + "]" : host
        return "http://\(shownHost):\(port)\(pathPrefix)"
    }

    /// The path of a grouping key: `/metrics/job/<job>/instance/<instance>`, with `@base64`
    /// (URL-safe) for a value that is empty or has a character other than letters, digits and
    /// `-._~:`, so a job key like `slurm:4/2` stays one path segment.
    ///
    /// - Parameters:
    ///   - job: The job label of the group.
    ///   - instance: The instance label of the group.
    /// - Returns: The path, after the prefix.
    public func groupingPath(job: String, instance: String) -> String {
        pathPrefix + "/metrics" + Self.segment("job", job) + Self.segment("instance", instance)
    }

    static func segment(_ name: String, _ value: String) -> String {
        let safe = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.isASCII && (safeCharacters.contains($0)) }
        if safe { return "/" + name + "/" + value }
        let encoded = Data(value.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        // The Pushgateway reads `=` as the empty value.
        return "/" + name + "@base64/" + (encoded.isEmpty ? "=" : encoded)
    }

    private static let safeCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:")
}
