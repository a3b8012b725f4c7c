import Foundation

/// The MLflow run to log into: a tracking server over HTTP(S), the run id, and the credentials
/// to send. Its description and mirror never show the credentials.
public struct MLflowTarget: Sendable, CustomStringConvertible, CustomReflectable {
    /// How the requests authenticate.
    package enum Credentials: Sendable, Hashable {
        case none
        case basic(user: String, password: String)
        case bearer(token: String)
    }

    /// The server's base URL without user information, such as `https://mlflow.example.org/prefix`.
    package let baseURL: URL
    /// The MLflow run id.
    public let runID: String
    package let credentials: Credentials

    /// The tracking URI as it may be printed: without credentials.
    public var redactedTrackingURI: String { MLflowRedaction.uriWithoutCredentials(baseURL.absoluteString) }

    public var description: String { "MLflow run \(runID) at \(redactedTrackingURI)" }

    public var customMirror: Mirror {
        Mirror(self, children: ["runID": runID, "trackingURI": redactedTrackingURI], displayStyle: .struct)
    }

    package init(baseURL: URL, runID: String, credentials: Credentials) {
        self.baseURL = baseURL
        self.runID = runID
        self.credentials = credentials
    }

    /// The `Authorization` header's value, if the target has credentials.
    package var authorizationHeader: String? {
        switch credentials {
        case .none: nil
        case .basic(let user, let password): "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): "Bearer " + token
        }
    }

    /// What must never appear in a message: the password or token and the header that carries it.
    package var secrets: [String] {
        switch credentials {
        case .none: []
        case .basic(_, let password):
            [password, password.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? password]
                + [authorizationHeader ?? ""]
        case .bearer(let token): [token, authorizationHeader ?? ""]
        }
    }
}

/// Where a program's MLflow run is, if it has one.
public enum MLflowTargetResolution: Sendable {
    /// A run on a tracking server Footprint can reach over HTTP(S).
    case target(MLflowTarget)
    /// No MLflow run id anywhere: the program did not use MLflow; nothing to say.
    case notRequested
    /// There is a run, but Footprint cannot log into it (a local store, Databricks, a malformed
    /// URI); `reason` is the warning to print, without credentials.
    case unsupported(reason: String)
}

extension MLflowTarget {
    /// Finds the MLflow run: the explicit values (from the program's `tracking` event) first, else
    /// `MLFLOW_RUN_ID` and `MLFLOW_TRACKING_URI` of `environment`, each on its own. Credentials
    /// come from `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` (Basic), else
    /// `MLFLOW_TRACKING_TOKEN` (Bearer), else the user information in the URI (Basic), the order
    /// MLflow's own client uses.
    ///
    /// - Parameters:
    ///   - runID: The run id the program sent, if any.
    ///   - trackingURI: The tracking URI the program sent, if any.
    ///   - environment: The wrapped program's environment.
    /// - Returns: The target, `.notRequested` without a run id, or why it cannot be logged.
    public static func resolve(runID: String?, trackingURI: String?, environment: [String: String]) -> MLflowTargetResolution {
        func nonEmpty(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        guard let runID = nonEmpty(runID) ?? nonEmpty(environment["MLFLOW_RUN_ID"]) else { return .notRequested }
        let supported = "only an MLflow tracking server over HTTP(S) is supported"
        guard let uri = nonEmpty(trackingURI) ?? nonEmpty(environment["MLFLOW_TRACKING_URI"]) else {
            return .unsupported(
                reason: "not logged to MLflow run \(runID): no tracking URI (MLflow then writes to a local ./mlruns or mlflow.db store); "
                    + "\(supported): set MLFLOW_TRACKING_URI=http://host:port for the program")
        }
        let shown = MLflowRedaction.uriWithoutCredentials(uri)
        let scheme = uri.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard scheme == "http" || scheme == "https" else {
            return .unsupported(
                reason:
                    "not logged to MLflow run \(runID) at \(shown): \(supported) (http:// or https://), not a local store or Databricks; "
                    + "start `mlflow server` and point MLFLOW_TRACKING_URI at it")
        }
        guard var components = URLComponents(string: uri), let host = components.host, !host.isEmpty else {
            return .unsupported(
                reason: "not logged to MLflow run \(runID): the tracking URI \(shown) is not a valid URL; "
                    + "set MLFLOW_TRACKING_URI to http(s)://host:port")
        }
        let uriCredentials: Credentials =
            if let user = components.user, let password = components.password { .basic(user: user, password: password) } else { .none }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        while components.path.hasSuffix("/") { components.path.removeLast() }
        guard let baseURL = components.url else {
            return .unsupported(
                reason: "not logged to MLflow run \(runID): the tracking URI \(shown) is not a valid URL; "
                    + "set MLFLOW_TRACKING_URI to http(s)://host:port")
        }
        let credentials: Credentials
        if let user = nonEmpty(environment["MLFLOW_TRACKING_USERNAME"]), let password = environment["MLFLOW_TRACKING_PASSWORD"],
            !password.isEmpty
        {
            credentials = .basic(user: user, password: password)
        } else if let token = nonEmpty(environment["MLFLOW_TRACKING_TOKEN"]) {
            credentials = .bearer(token: token)
        } else {
            credentials = uriCredentials
        }
        return .target(MLflowTarget(baseURL: baseURL, runID: runID, credentials: credentials))
    }
}
