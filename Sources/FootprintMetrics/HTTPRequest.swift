import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP/1.1 request over a plain blocking socket, with a timeout on every step: enough for
/// the Pushgateway (and the benchmark's scrapes), without an HTTP client library and its event loops.
package enum HTTPRequest {
    /// Sends a request and reads the answer until the server closes the connection.
    ///
    /// - Parameters:
    ///   - method: `POST`, `GET` …
    ///   - body: The request body (empty for none).
    ///   - path: The request path.
    ///   - endpoint: Host, port and credentials.
    ///   - contentType: The body's content type.
    ///   - timeoutSeconds: The longest the connect, the send and each read may take.
    ///   - maximumBytes: Reading stops after about this many bytes of the answer.
    /// - Returns: The status code and the response body (up to `maximumBytes`).
    /// - Throws: ``MetricsError/pushFailed(url:reason:)`` when the host does not resolve, the
    ///   connection fails or times out, or the answer is not HTTP.
    package static func perform(
        _ method: String, body: [UInt8] = [], path: String, to endpoint: PushgatewayEndpoint, contentType: String = "text/plain",
        timeoutSeconds: Double, maximumBytes: Int = 8192
    ) throws(MetricsError) -> (status: Int, text: String) {
        let url = endpoint.displayURL + path.dropFirst(endpoint.pathPrefix.count)
        func failure(_ reason: String) -> MetricsError { .pushFailed(url: url, reason: reason) }
        let descriptor = try openConnection(to: endpoint, timeoutSeconds: timeoutSeconds, failure: failure)
        defer { close(descriptor) }
        let hostHeader = (endpoint.host.contains(":") ? "[" + endpoint.host + "]" : endpoint.host) + ":" + String(endpoint.port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: footprint\r\nContent-Type: \(contentType)\r\n"
        head += (body.isEmpty && method == "GET" ? "" : "Content-Length: \(body.count)\r\n") + "Connection: close\r\n"
        if let credentials = endpoint.credentials {
            head += "Authorization: Basic \(Data(credentials.utf8).base64EncodedString())\r\n"
        }
        let request = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < request.count {
            // MSG_NOSIGNAL: a Pushgateway that hangs up must not kill the run with SIGPIPE.
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno == EAGAIN ? "timed out sending after \(timeoutSeconds) s" : "send: \(String(cString: strerror(errno)))")
            }
            sent += count
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while response.count < maximumBytes {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno == EAGAIN ? "no answer within \(timeoutSeconds) s" : "recv: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            response += chunk[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw failure(response.isEmpty ? "the server closed the connection without answering" : "the answer is not HTTP")
        }
        let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, bodyText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A connected TCP socket to the first address of `endpoint` that answers.
    private static func openConnection(
        to endpoint: PushgatewayEndpoint, timeoutSeconds: Double, failure: (String) -> MetricsError
    ) throws(MetricsError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw failure("cannot resolve \(endpoint.host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = "socket: \(String(cString: strerror(errno)))"
                continue
            }
            var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - timeoutSeconds.rounded(.down)) * 1e6))
            // On Linux SO_SNDTIMEO bounds connect() as well as send().
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return descriptor }
            let code = errno
            lastError =
                code == EINPROGRESS || code == EAGAIN
                ? "no connection within \(timeoutSeconds) s" : "connect: \(String(cString: strerror(code)))"
            close(descriptor)
        }
        throw failure(lastError)
    }
}
