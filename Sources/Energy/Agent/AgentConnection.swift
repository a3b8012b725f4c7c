import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection to `footprint agent`'s Unix socket, speaking ``AgentWire``'s JSON
/// lines with every step bounded in time and size, so an agent that hangs, dies or sends
/// garbage costs a run at most one timeout and never a crash.
package final class AgentConnection {
    /// Why a connection or an exchange failed, in words for the user.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        /// What happened.
        package var reason: String
        /// Whether nothing listens at the path (no socket file, or a stale one): the agent is
        /// not running here, which is not an error for a run.
        package var isAbsent = false
        /// Whether the agent answered with an error line (a refusal), whose text is `reason`.
        package var isRefusal = false
        /// Whether the agent's listen backlog was full: worth connecting again shortly.
        package var isBacklogFull = false

        package var description: String { reason }
    }

    /// The longest line accepted from the agent: a hello lists every zone (a few hundred bytes
    /// each), so a node with hundreds of GPUs fits, and an agent gone mad cannot fill memory.
    package static let maximumLineBytes = 1 << 20
    /// The longest any one step (connect and hello, one read) may take.
    package static let timeoutSeconds = 0.5

    /// The socket's path, for messages.
    package let path: String
    /// What the agent serves.
    package let hello: AgentWire.Hello
    private let descriptor: Int32
    private var buffer: [UInt8]

    /// Connects to the agent at `path` and reads its hello.
    ///
    /// - Parameters:
    ///   - path: The agent's Unix socket.
    ///   - timeoutSeconds: The longest connecting and reading the hello may take.
    /// - Throws: `Failure` when nothing listens there, the agent refuses this client (its
    ///   error text), speaks another protocol version, or does not answer in time.
    package init(path: String, timeoutSeconds: Double = AgentConnection.timeoutSeconds) throws(Failure) {
        self.path = path
        let deadline = Self.now() + timeoutSeconds
        let descriptor = try Self.connect(path: path, deadline: deadline)
        var buffer: [UInt8] = []
        do throws(Failure) {
            hello = try Self.readHello(descriptor: descriptor, buffer: &buffer, deadline: deadline, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.buffer = buffer
    }

    private static func readHello(descriptor: Int32, buffer: inout [UInt8], deadline: Double, path: String) throws(Failure)
        -> AgentWire.Hello
    {
        let line = try readLine(descriptor: descriptor, buffer: &buffer, deadline: deadline, path: path)
        let message = try decode(line, path: path)
        if let error = message.error {
            throw Failure(reason: error, isRefusal: true)
        }
        guard let hello = message.hello else {
            throw Failure(reason: "the agent at \(path) did not start with its hello; is a footprint agent listening there?")
        }
        guard hello.agent == "footprint-agent" else {
            throw Failure(reason: "something other than footprint agent answers at \(path) (it calls itself '\(hello.agent)')")
        }
        guard hello.version == AgentWire.protocolVersion else {
            throw Failure(
                reason:
                    "the agent at \(path) (pid \(hello.pid)) speaks protocol version \(hello.version), this footprint speaks "
                    + "\(AgentWire.protocolVersion): run the same Footprint release for the agent and its users "
                    + "(an administrator updates and restarts `footprint agent`)")
        }
        return hello
    }

    deinit { close(descriptor) }

    /// Asks for the zones' counts and waits for them until `deadline` (monotonic seconds).
    ///
    /// - Throws: `Failure` when the agent closed, refused, answered out of protocol or late.
    package func read(deadline: Double) throws(Failure) -> AgentWire.Reading {
        try Self.send(Array((AgentWire.readRequest + "\n").utf8), descriptor: descriptor, deadline: deadline, path: path)
        let line = try Self.readLine(descriptor: descriptor, buffer: &buffer, deadline: deadline, path: path)
        let message = try Self.decode(line, path: path)
        if let error = message.error { throw Failure(reason: "the agent at \(path) ended the connection: \(error)", isRefusal: true) }
        guard let reading = message.reading else {
            throw Failure(reason: "the agent at \(path) answered a read without a reading")
        }
        let count = hello.zones.count
        guard reading.microjoules.count == count, reading.bridgedMicrojoules.count == count, reading.unreadable.count == count else {
            throw Failure(
                reason: "the agent at \(path) sent \(reading.microjoules.count) counts for the \(count) zones of its hello")
        }
        return reading
    }

    /// CLOCK_MONOTONIC in seconds, the clock every deadline here is on.
    package static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    // MARK: Socket steps

    private static func describe(_ errorNumber: Int32) -> String {
        "\(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
    }

    /// Connects within `deadline`. A Unix socket whose listener's backlog is full refuses a
    /// non-blocking connect with EAGAIN at once (nothing is in progress, unlike TCP): the
    /// connect is tried again every 10 ms until the deadline.
    private static func connect(path: String, deadline: Double) throws(Failure) -> Int32 {
        while true {
            do throws(Failure) {
                return try connectOnce(path: path, deadline: deadline)
            } catch {
                guard error.isBacklogFull else { throw error }
                guard now() + backlogRetrySeconds < deadline else {
                    throw Failure(
                        reason:
                            "the agent at \(path) did not accept within \(Int(timeoutSeconds * 1000)) ms: its backlog stayed full (it is overloaded or stopped)"
                    )
                }
                usleep(useconds_t(backlogRetrySeconds * 1_000_000))
            }
        }
    }

    /// How long to wait before connecting again to an agent whose backlog is full.
    static let backlogRetrySeconds = 0.01

    private static func connectOnce(path: String, deadline: Double) throws(Failure) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw Failure(reason: "the agent socket path \(path) is empty or longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
        #endif
        guard descriptor >= 0 else { throw Failure(reason: "cannot create a Unix socket: \(describe(errno))") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return descriptor }
        let errorNumber = errno
        switch errorNumber {
        case EAGAIN:
            close(descriptor)
            throw Failure(reason: "the agent's backlog at \(path) is full", isBacklogFull: true)
        case EINPROGRESS:
            // Not what Linux does for a Unix socket, but what the call allows: wait within the deadline.
            do throws(Failure) {
                try wait(descriptor, events: Int16(POLLOUT), deadline: deadline, path: path, doing: "connecting")
            } catch {
                close(descriptor)
                throw error
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &pending, &length)
            guard pending == 0 else {
                close(descriptor)
                throw Failure(reason: "cannot connect to the agent at \(path): \(describe(pending))")
            }
            return descriptor
        case ENOENT, ECONNREFUSED, ENOTDIR:
            close(descriptor)
            let what =
                errorNumber == ECONNREFUSED
                ? "nothing answers at \(path) (a stale socket: the agent is not running)" : "no agent at \(path)"
            throw Failure(reason: what, isAbsent: true)
        default:
            close(descriptor)
            throw Failure(reason: "cannot connect to the agent at \(path): \(describe(errorNumber))")
        }
    }

    /// Waits until `descriptor` is ready for `events` or `deadline` passes.
    private static func wait(_ descriptor: Int32, events: Int16, deadline: Double, path: String, doing: String) throws(Failure) {
        while true {
            let remaining = deadline - now()
            guard remaining > 0 else {
                throw Failure(
                    reason: "the agent at \(path) did not answer within \(Int(timeoutSeconds * 1000)) ms while \(doing)")
            }
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, Int32(max((remaining * 1000).rounded(.up), 1)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw Failure(reason: "poll on the agent socket \(path) failed: \(describe(errno))") }
        }
    }

    private static func send(_ bytes: [UInt8], descriptor: Int32, deadline: Double, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { raw in
                Foundation.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            let errorNumber = errno
            if sent < 0 && (errorNumber == EAGAIN || errorNumber == EWOULDBLOCK || errorNumber == EINTR) {
                try wait(descriptor, events: Int16(POLLOUT), deadline: deadline, path: path, doing: "sending a request")
                continue
            }
            throw Failure(reason: "the connection to the agent at \(path) was lost while sending: \(describe(errorNumber))")
        }
    }

    /// Reads one line (without its newline), keeping what follows it in `buffer`.
    private static func readLine(descriptor: Int32, buffer: inout [UInt8], deadline: Double, path: String) throws(Failure) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                return line
            }
            searched = buffer.count
            guard buffer.count <= maximumLineBytes else {
                throw Failure(
                    reason: "the agent at \(path) sent a line over \(maximumLineBytes) bytes; it is not footprint agent's protocol")
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[0..<count]
                continue
            }
            if count == 0 { throw Failure(reason: "the agent at \(path) closed the connection") }
            let errorNumber = errno
            guard errorNumber == EAGAIN || errorNumber == EWOULDBLOCK || errorNumber == EINTR else {
                throw Failure(reason: "the connection to the agent at \(path) was lost: \(describe(errorNumber))")
            }
            try wait(descriptor, events: Int16(POLLIN), deadline: deadline, path: path, doing: "waiting for its answer")
        }
    }

    private static func decode(_ line: [UInt8], path: String) throws(Failure) -> AgentWire.Message {
        do {
            return try JSONDecoder().decode(AgentWire.Message.self, from: Data(line))
        } catch {
            let text = String(decoding: line.prefix(80), as: UTF8.self)
            throw Failure(
                reason: "the agent at \(path) sent a line that is not footprint agent's protocol: '\(text)\(line.count > 80 ? "…" : "")'")
        }
    }
}
