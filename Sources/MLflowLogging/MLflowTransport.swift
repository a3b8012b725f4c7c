import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request to the tracking server.
package struct MLflowHTTPRequest: Sendable, Hashable {
    package var url: URL
    package var method: String
    package var headers: [String: String]
    package var body: Data?

    package init(url: URL, method: String, headers: [String: String], body: Data?) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// What came of a request: an answer with any status, or none.
package enum MLflowHTTPResponse: Sendable, Hashable {
    case answered(status: Int, body: Data)
    /// No answer: `description` says why (connection refused, name not resolved …).
    case failed(description: String)
    /// No answer within the time allowed.
    case timedOut
}

/// Sends one request and waits for its answer, at most `timeoutSeconds`. The seam the tests
/// replace to see the requests without a server.
package protocol MLflowTransport: Sendable {
    func send(_ request: MLflowHTTPRequest, timeoutSeconds: Double) -> MLflowHTTPResponse
}

/// `URLSession` (libcurl under FoundationNetworking on Linux), waited for on the calling thread.
/// Redirects are not followed, so the credentials never travel to a host the user did not name.
package struct URLSessionTransport: MLflowTransport {
    package init() {}

    package func send(_ request: MLflowHTTPRequest, timeoutSeconds: Double) -> MLflowHTTPResponse {
        let timeout = max(0.001, timeoutSeconds)
        // libcurl under FoundationNetworking takes whole seconds: 0.99 s would become "time out
        // at once". URLSession gets the timeout rounded up; the wait below bounds it exactly.
        let curlTimeout = max(1, timeout.rounded(.up))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = curlTimeout
        configuration.timeoutIntervalForResource = curlTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let delegate = RefusingRedirects()
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.invalidateAndCancel() }

        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: curlTimeout)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }

        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let response = response as? HTTPURLResponse {
                outcome.set(.answered(status: response.statusCode, body: data ?? Data()))
            } else if let error = error as? URLError, error.code == .timedOut {
                outcome.set(.timedOut)
            } else {
                outcome.set(.failed(description: error.map { Self.describe($0) } ?? "no HTTP response"))
            }
            finished.signal()
        }
        task.resume()
        // URLSession's own timeouts are idle timeouts; this wait bounds the whole exchange.
        guard finished.wait(timeout: .now() + timeout) == .success else {
            task.cancel()
            return .timedOut
        }
        return outcome.value ?? .failed(description: "no HTTP response")
    }

    /// The error's own words without the URL that libraries append (the URL is named by the caller).
    private static func describe(_ error: any Error) -> String {
        if let error = error as? URLError {
            switch error.code {
            case .cannotConnectToHost: return "connection refused"
            case .cannotFindHost: return "host not found"
            case .networkConnectionLost: return "connection closed before an answer"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
                return "TLS failed (\(error.code.rawValue))"
            default: return "URL error \(error.code.rawValue)"
            }
        }
        return String(describing: type(of: error))
    }
}

/// The answer, handed from URLSession's queue to the waiting thread.
private final class Outcome: Sendable {
    private let stored = Mutex<MLflowHTTPResponse?>(nil)

    func set(_ response: MLflowHTTPResponse) { stored.withLock { $0 = response } }
    var value: MLflowHTTPResponse? { stored.withLock { $0 } }
}

/// Answers every redirect with "do not follow": the 3xx answer itself comes back.
private final class RefusingRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
