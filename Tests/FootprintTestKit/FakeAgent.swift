import Energy
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for `footprint agent` in a thread: it serves a Unix socket speaking
/// `AgentWire`, with zones whose counts grow at known microjoules per second, and misbehaves
/// on request (refuses, hangs, sends garbage, dies), so the agent client can be tested
/// without the real daemon.
public final class FakeAgent: @unchecked Sendable {
    // @unchecked: `stopped`, `clients` and `readsServed` are only touched under `lock`.

    /// One served zone and the power it draws.
    public struct Zone: Sendable {
        public var meter: String
        public var role: String
        public var label: String
        public var watts: Double
        public var deviceIndex: Int?
        public var included: Bool
        /// The hwmon driver behind the zone (`amdgpu`, `xe`), as the agent says it.
        public var driver: String?

        public init(
            meter: String, role: String, label: String, watts: Double, deviceIndex: Int? = nil, included: Bool = true,
            driver: String? = nil
        ) {
            self.meter = meter
            self.role = role
            self.label = label
            self.watts = watts
            self.deviceIndex = deviceIndex
            self.included = included
            self.driver = driver
        }
    }

    /// How the agent behaves towards every client.
    public enum Behaviour: Sendable {
        /// A hello, then a reading per `read`.
        case serve
        /// This error line instead of a hello, then close.
        case refuse(String)
        /// This raw first line instead of a hello (garbage, another version, an oversize line).
        case firstLine(String)
        /// A hello, then silence: reads are never answered.
        case hangAfterHello
    }

    public let path: String
    public let zones: [Zone]
    private let behaviour: Behaviour
    private let lock = NSLock()
    private let listener: Int32
    private var stopped = false
    private var clients: [Int32] = []
    private var served = 0
    private let startSeconds: Double
    private let acceptDone = DispatchSemaphore(value: 0)

    /// Starts serving at `path` (replacing a stale socket file).
    ///
    /// - Throws: when the socket cannot be bound.
    public init(path: String, zones: [Zone], behaviour: Behaviour = .serve) throws {
        self.path = path
        self.zones = zones
        self.behaviour = behaviour
        startSeconds = AgentConnection.now()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        unlink(path)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "fake agent: cannot listen at \(path): \(reason)"])
        }
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// The microjoules zone `index` counted by monotonic time `seconds`.
    public func microjoules(zone index: Int, atSeconds seconds: Double) -> UInt64 {
        UInt64(max(seconds - startSeconds, 0) * zones[index].watts * 1e6)
    }

    /// Readings answered so far.
    public var readsServed: Int { lock.withLock { served } }

    /// Dies: stops accepting, closes every connection and removes the socket file (unless a
    /// new agent already listens at the path: `removingSocket` false).
    public func stop(removingSocket: Bool = true) {
        let wasRunning = lock.withLock { () -> Bool in
            guard !stopped else { return false }
            stopped = true
            return true
        }
        guard wasRunning else { return }
        acceptDone.wait()
        let open = lock.withLock { () -> [Int32] in
            defer { clients = [] }
            return clients
        }
        for client in open { shutdown(client, Int32(SHUT_RDWR)) }
        close(listener)
        if removingSocket { unlink(path) }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            var request = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            lock.withLock { clients.append(client) }
            Thread { [self] in serve(client) }.start()
        }
        acceptDone.signal()
    }

    private func send(_ text: String, to client: Int32) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private func encode(_ message: AgentWire.Message) -> String {
        (try? String(decoding: JSONEncoder().encode(message), as: UTF8.self)) ?? "{}"
    }

    private func serve(_ client: Int32) {
        defer {
            let owned = lock.withLock { () -> Bool in
                guard let index = clients.firstIndex(of: client) else { return false }
                clients.remove(at: index)
                return true
            }
            if owned { shutdown(client, Int32(SHUT_RDWR)) }
            close(client)
        }
        switch behaviour {
        case let .refuse(text):
            send(encode(AgentWire.Message(error: text)), to: client)
            return
        case let .firstLine(line):
            send(line, to: client)
            Thread.sleep(forTimeInterval: 0.2)
            return
        case .serve, .hangAfterHello:
            break
        }
        let hello = AgentWire.Hello(
            pid: getpid(),
            zones: zones.map { zone in
                AgentWire.Zone(
                    meter: zone.meter, role: zone.role, label: zone.label, counter: "/fake/\(zone.meter)/\(zone.label)",
                    included: zone.included, deviceIndex: zone.deviceIndex, stepJoules: 1e-6, periodSeconds: 0.001,
                    resolution: "\(zone.meter): fake, 1 µJ steps every 1 ms", sampledPower: false, driver: zone.driver)
            })
        send(encode(AgentWire.Message(hello: hello)), to: client)
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while !isStopped {
            var request = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 20) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            pending += chunk[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                guard line == AgentWire.readRequest else {
                    send(encode(AgentWire.Message(error: "unknown request")), to: client)
                    return
                }
                if case .hangAfterHello = behaviour { continue }
                let now = AgentConnection.now()
                let reading = AgentWire.Reading(
                    seconds: now, microjoules: zones.indices.map { microjoules(zone: $0, atSeconds: now) },
                    bridgedMicrojoules: zones.map { _ in 0 }, unreadable: zones.map { _ in false })
                send(encode(AgentWire.Message(reading: reading)), to: client)
                lock.withLock { served += 1 }
            }
        }
    }
}
