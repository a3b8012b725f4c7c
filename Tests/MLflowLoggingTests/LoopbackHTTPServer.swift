import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A listening socket on 127.0.0.1 that answers each connection with a fixed HTTP response, or
/// never answers: enough to see what the logger puts on the wire and how it bears a silent server.
final class LoopbackHTTPServer: Sendable {
    enum Behaviour: Sendable {
        case answer(status: Int, body: String, headers: [String: String] = [:])
        /// Accepts and reads, never answers.
        case silent
    }

    let port: Int
    private let descriptor: Int32
    private let received = Mutex<[String]>([])
    private let stopped = Mutex(false)

    /// The raw requests (head and body) received so far.
    var requests: [String] { received.withLock { $0 } }

    init(_ behaviour: Behaviour) throws {
        let (descriptor, port) = try Self.listen()
        self.descriptor = descriptor
        self.port = port
        Thread { [self] in serve(behaviour) }.start()
    }

    /// A port on 127.0.0.1 that nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let (descriptor, port) = try listen()
        close(descriptor)
        return port
    }

    /// Stops accepting and closes the held connections; call it once the test is done (the
    /// serving thread keeps the server alive until then).
    func stop() {
        guard
            stopped.withLock({ stopped in
                defer { stopped = true }; return !stopped
            })
        else { return }
        // shutdown wakes the thread blocked in accept (close alone would not, on Linux); that
        // thread closes the socket, so the descriptor is never closed while accept may use it.
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    private func serve(_ behaviour: Behaviour) {
        var held: [Int32] = []
        defer {
            held.forEach { close($0) }
            close(descriptor)
        }
        while true {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return }
            let request = Self.readRequest(connection)
            received.withLock { $0.append(request) }
            switch behaviour {
            case .silent:
                held.append(connection)
            case .answer(let status, let body, let headers):
                let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
                let response =
                    "HTTP/1.1 \(status) Status\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                    + extra + "Connection: close\r\n\r\n\(body)"
                _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(connection)
            }
        }
    }

    /// Reads the head and as much body as Content-Length says.
    private static func readRequest(_ connection: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
            let text = String(decoding: bytes, as: UTF8.self)
            guard let headEnd = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<headEnd.lowerBound].lowercased()
            let length =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func listen() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError(text: "socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw ServerError(text: "bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    struct ServerError: Error, CustomStringConvertible {
        let text: String
        var description: String { text }
    }
}
