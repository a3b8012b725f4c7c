import CPeerCredentials
import Energy
import Vocabulary

#if canImport(Glibc)
import Glibc
#endif

/// `footprint agent`'s server: one thread, one `poll()` loop over a Unix stream socket,
/// answering every client's `read` with the node's counters and never waiting on any client.
///
/// Each connection is identified with `SO_PEERCRED` and checked against `--allow-group`; its
/// requests are bounded in length and rate, its unread output in bytes, and each user's
/// connections in number. Call ``start()`` (binds the socket), then ``run()`` on the thread
/// that serves; ``stop()`` from any thread or a signal handler's queue ends `run()`, which
/// closes every connection and removes the socket file.
package final class AgentServer: @unchecked Sendable {
    // @unchecked: every stored property but the wake pipe's descriptors is touched only by the
    // thread inside run() (start() happens before it, on the thread that then calls run()).
    // stop() only writes a byte to the wake pipe, which is safe from any thread.

    /// What bounds the agent's work per client.
    package struct Limits: Sendable {
        package var maximumConnectionsPerUser = 64
        package var maximumConnections = 512
        /// Output a client may leave unread before it is dropped.
        package var maximumUnreadOutputBytes = 65_536
        package var requestsPerSecond = 200.0
        package var burstRequests = 100.0

        package init() {}
    }

    package struct Configuration: Sendable {
        package var socketPath: String
        /// `--allow-group`: root and this group's members only; nil lets every local user read.
        package var allowGroup: String?
        package var limits = Limits()
        /// Where startup lines and (rate-limited) refusals go: standard error in the command.
        package var log: @Sendable (String) -> Void

        package init(socketPath: String, allowGroup: String? = nil, log: @escaping @Sendable (String) -> Void) {
            self.socketPath = socketPath
            self.allowGroup = allowGroup
            self.log = log
        }
    }

    package let configuration: Configuration
    package let access: AgentAccess
    private let counters: AgentCounterSet
    private let helloLine: [UInt8]
    private var listener: AgentSocket?
    private var connections: [Int32: ServedConnection] = [:]
    private var connectionsPerUser: [uid_t: Int] = [:]
    private var refusals = RefusalLog()
    /// Supplementary groups per uid, looked up at most once a minute: the group database may
    /// be a network service, and the loop must not wait on it for every connection. The
    /// allowed group's gid is resolved once, at start. The first connection of a uid (and the
    /// first after a minute) still looks its user up on the serving thread: with a slow
    /// directory service every client waits that long, once a minute per user at most.
    private var groupCache: [uid_t: (name: String?, groups: [gid_t], seconds: Double)] = [:]
    private var latestLine: (seconds: Double, bytes: [UInt8])?
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Prepares a server over `counters`.
    ///
    /// - Throws: `AgentServerError.unknownGroup` for an `--allow-group` this machine lacks,
    ///   `.groupLookupFailed` when the group database cannot be read,
    ///   `.systemCall` when the wake pipe cannot be made.
    package init(configuration: Configuration, counters: AgentCounterSet) throws(AgentServerError) {
        self.configuration = configuration
        self.counters = counters
        access = try AgentAccess(allowGroup: configuration.allowGroup)
        helloLine = AgentLines.hello(counters.hello)
        var pipeEnds: [Int32] = [0, 0]
        guard footprint_wake_pipe(&pipeEnds) == 0 else {
            throw AgentServerError.systemCall(call: "pipe2", path: configuration.socketPath, errorNumber: errno)
        }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
    }

    deinit {
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Binds the socket: after this, clients can connect (they are answered once `run()` runs).
    ///
    /// - Throws: `AgentServerError` when the path is too long, taken by a live agent or a
    ///   non-socket file, or cannot be created.
    package func start() throws(AgentServerError) {
        guard listener == nil else { return }
        listener = try AgentSocket(path: configuration.socketPath)
    }

    /// Ends `run()` soon; callable from any thread.
    package func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Clients connected now.
    package var connectionCount: Int { connections.count }

    /// Serves until ``stop()``, then closes every connection, the meters and the socket file.
    package func run() {
        guard let listener else { return }
        var nextBackgroundPoll = Clocks.monotonicSeconds()
        var descriptors: [pollfd] = []
        serving: while true {
            let now = Clocks.monotonicSeconds()
            if now >= nextBackgroundPoll {
                _ = counters.read(atSeconds: now)
                nextBackgroundPoll = now + counters.backgroundPollIntervalSeconds
            }
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            descriptors.append(pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0))
            for connection in connections.values {
                var events = Int16(POLLIN)
                if connection.unsentBytes > 0 { events |= Int16(POLLOUT) }
                descriptors.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
            }
            let timeoutMilliseconds = Int32(max(0, min(1000, ((nextBackgroundPoll - now) * 1000).rounded(.up))))
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                configuration.log("footprint agent: poll failed: \(String(cString: strerror(errno))); stopping")
                break serving
            }
            if ready == 0 { continue }
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == wakeRead { break serving }
                if entry.fd == listener.descriptor {
                    acceptClients(listener)
                    continue
                }
                guard let connection = connections[entry.fd] else { continue }
                if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                    serve(connection)
                }
                if connections[entry.fd] != nil, entry.revents & Int16(POLLOUT) != 0 {
                    finishWriting(connection)
                }
            }
        }
        for connection in Array(connections.values) { drop(connection) }
        listener.close()
        self.listener = nil
        counters.close()
    }

    // MARK: Connections

    /// Accepts every pending connection (a bounded number per turn, so readers are served too).
    private func acceptClients(_ listener: AgentSocket) {
        for _ in 0..<64 {
            let descriptor = footprint_accept_client(listener.descriptor)
            guard descriptor >= 0 else {
                if errno == EMFILE || errno == ENFILE {
                    let message = "footprint agent: cannot accept a client: \(String(cString: strerror(errno))); raise LimitNOFILE"
                    for line in refusals.lines(for: message, atSeconds: Clocks.monotonicSeconds()) { configuration.log(line) }
                }
                return
            }
            admit(descriptor)
        }
    }

    private func admit(_ descriptor: Int32) {
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        var pid: Int32 = 0
        let status = footprint_peer_credentials(descriptor, &uid, &gid, &pid)
        guard status == 0 else {
            refuse(
                descriptor,
                "footprint agent could not identify the connecting process (SO_PEERCRED: \(String(cString: strerror(status)))); it serves local processes only"
            )
            return
        }
        let peer = PeerIdentity(uid: uid, gid: gid, pid: pid)
        let now = Clocks.monotonicSeconds()
        if access.allowedGroup != nil, uid != 0 {
            let (name, groups) = userGroups(peer, atSeconds: now)
            if let refusal = access.refusal(of: peer, userName: name, supplementaryGroups: groups) {
                refuse(descriptor, refusal)
                return
            }
        }
        let limits = configuration.limits
        if connections.count >= limits.maximumConnections {
            refuse(
                descriptor,
                "footprint agent refused uid \(uid), process \(pid): it already serves \(connections.count) connections, its limit; "
                    + "try again shortly, or ask the node's administrator to look for a process that opens connections without closing them"
            )
            return
        }
        if connectionsPerUser[uid, default: 0] >= limits.maximumConnectionsPerUser {
            refuse(
                descriptor,
                "footprint agent refused uid \(uid), process \(pid): that user already holds \(limits.maximumConnectionsPerUser) connections, "
                    + "the most one user may; each measured run holds one, so end finished runs, measure fewer at once, "
                    + "or ask the node's administrator to raise footprint agent --max-connections-per-user")
            return
        }
        let connection = ServedConnection(
            descriptor: descriptor, peer: peer,
            bucket: TokenBucket(perSecond: limits.requestsPerSecond, burst: limits.burstRequests, nowSeconds: now))
        connections[descriptor] = connection
        connectionsPerUser[uid, default: 0] += 1
        connection.enqueue(helloLine)
        finishWriting(connection)
    }

    private func userGroups(_ peer: PeerIdentity, atSeconds now: Double) -> (name: String?, groups: [gid_t]) {
        if let cached = groupCache[peer.uid], now - cached.seconds < 60 { return (cached.name, cached.groups) }
        let name = AgentAccess.userName(of: peer.uid)
        let groups = name.map { AgentAccess.groups(ofUser: $0, primaryGroup: peer.gid) } ?? [peer.gid]
        if groupCache.count > 4096 { groupCache.removeAll() }
        groupCache[peer.uid] = (name, groups, now)
        return (name, groups)
    }

    /// Sends one error line (as far as the socket takes it) and closes a connection never admitted.
    private func refuse(_ descriptor: Int32, _ message: String) {
        let line = AgentLines.error(message)
        _ = line.withUnsafeBytes { raw in send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(descriptor)
        for text in refusals.lines(for: message, atSeconds: Clocks.monotonicSeconds()) { configuration.log(text) }
    }

    /// Reads what the client sent and answers each complete line.
    private func serve(_ connection: ServedConnection) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            drop(connection)
            return
        }
        // Closed by the client.
        guard count > 0 else {
            drop(connection)
            return
        }
        var lineStart = 0
        for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
            let length = connection.pending.count + index - lineStart + 1
            guard length <= AgentWire.maximumRequestBytes else {
                fail(connection, "request line over \(AgentWire.maximumRequestBytes) bytes; the only request is `read`")
                return
            }
            let line = connection.pending + buffer[lineStart..<index]
            connection.pending.removeAll(keepingCapacity: true)
            lineStart = index + 1
            answer(line, on: connection)
            if connections[connection.descriptor] == nil { return }
        }
        connection.pending += buffer[lineStart..<count]
        if connection.pending.count >= AgentWire.maximumRequestBytes {
            fail(connection, "request line over \(AgentWire.maximumRequestBytes) bytes; the only request is `read`")
            return
        }
        finishWriting(connection)
    }

    private func answer(_ line: [UInt8], on connection: ServedConnection) {
        let now = Clocks.monotonicSeconds()
        guard connection.bucket.take(atSeconds: now) else {
            let limits = configuration.limits
            fail(
                connection,
                "too many requests: at most \(Int(limits.requestsPerSecond)) reads a second (bursts of \(Int(limits.burstRequests))) per connection"
            )
            return
        }
        var request = line
        while let last = request.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") { request.removeLast() }
        guard request.elementsEqual(AgentWire.readRequest.utf8) else {
            let shown = String(decoding: request.prefix(AgentWire.maximumRequestBytes), as: UTF8.self)
            fail(connection, "unknown request '\(shown)'; the only request is `read`")
            return
        }
        let reading = counters.read(atSeconds: now)
        if latestLine?.seconds != reading.seconds { latestLine = (reading.seconds, AgentLines.reading(reading)) }
        connection.enqueue(latestLine?.bytes ?? AgentLines.reading(reading))
        let limit = configuration.limits.maximumUnreadOutputBytes
        guard connection.unsentBytes > limit else { return }
        // The socket's buffer is full and so is the agent's allowance: a client that does not
        // read its answers loses its connection rather than the agent's memory or time.
        guard connection.flush(), connection.unsentBytes <= limit else {
            let message =
                "footprint agent dropped uid \(connection.peer.uid), process \(connection.peer.pid): "
                + "over \(limit) bytes of answers left unread"
            for text in refusals.lines(for: message, atSeconds: now) { configuration.log(text) }
            drop(connection)
            return
        }
    }

    /// Sends an error line, as far as the socket takes it now, and closes the connection.
    private func fail(_ connection: ServedConnection, _ message: String) {
        let text = "footprint agent: \(message); connection closed"
        let logged = "\(text) (uid \(connection.peer.uid), process \(connection.peer.pid))"
        for line in refusals.lines(for: logged, atSeconds: Clocks.monotonicSeconds()) { configuration.log(line) }
        connection.enqueue(AgentLines.error(text))
        _ = connection.flush()
        shutdown(connection.descriptor, Int32(SHUT_WR))
        drop(connection)
    }

    /// Writes what the socket takes; drops a client that is gone.
    private func finishWriting(_ connection: ServedConnection) {
        if !connection.flush() { drop(connection) }
    }

    private func drop(_ connection: ServedConnection) {
        guard connections.removeValue(forKey: connection.descriptor) != nil else { return }
        Glibc.close(connection.descriptor)
        let uid = connection.peer.uid
        let remaining = (connectionsPerUser[uid] ?? 1) - 1
        connectionsPerUser[uid] = remaining > 0 ? remaining : nil
    }
}
