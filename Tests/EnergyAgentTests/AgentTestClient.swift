import Energy
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A raw client of the agent's socket, as a process of any language would be: connect, read
/// lines, send bytes; every wait bounded.
final class AgentTestClient {
    let descriptor: Int32
    private var buffered: [UInt8] = []

    /// Connects to `path`.
    init(path: String, receiveBufferBytes: Int32? = nil) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClientError("socket: errno \(errno)") }
        if var bytes = receiveBufferBytes {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(descriptor)
            throw ClientError("connect \(path): errno \(error)")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw ClientError("send: errno \(errno)") }
            offset += written
        }
    }

    /// The next line, nil at end of stream (or a reset); throws after `timeoutSeconds`.
    func readLine(timeoutSeconds: Double = 5) throws -> String? {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw ClientError("no line within \(timeoutSeconds) s") }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(remaining * 1000) + 1) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffered += chunk[..<count]
        }
    }

    func readMessage(timeoutSeconds: Double = 5) throws -> AgentWire.Message? {
        guard let line = try readLine(timeoutSeconds: timeoutSeconds) else { return nil }
        return try JSONDecoder().decode(AgentWire.Message.self, from: Data(line.utf8))
    }

    /// Sends `read` and returns the reading.
    func read() throws -> AgentWire.Reading {
        try send("read\n")
        guard let message = try readMessage() else { throw ClientError("closed instead of a reading") }
        guard let reading = message.reading else { throw ClientError("not a reading: \(message)") }
        return reading
    }

    /// Whether the agent closed its end within `timeoutSeconds` (data may still be unread).
    func peerClosed(withinSeconds timeoutSeconds: Double) -> Bool {
        // POLLRDHUP (0x2000) is GNU-only, absent from Swift's Glibc module.
        let peerHangUp: Int16 = 0x2000
        var entry = pollfd(fd: descriptor, events: peerHangUp, revents: 0)
        let ready = poll(&entry, 1, Int32(timeoutSeconds * 1000))
        return ready > 0 && entry.revents & (peerHangUp | Int16(POLLHUP)) != 0
    }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
