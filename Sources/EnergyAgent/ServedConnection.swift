import Energy

#if canImport(Glibc)
import Glibc
#endif

/// One client of the agent: its socket, who it is, what it sent and what waits to be sent.
final class ServedConnection {
    let descriptor: Int32
    let peer: PeerIdentity
    var bucket: TokenBucket
    /// Bytes of a request line not yet ended by a newline.
    var pending: [UInt8] = []
    /// Bytes not yet accepted by the socket, from `outputStart`.
    private(set) var output: [UInt8] = []
    private var outputStart = 0

    init(descriptor: Int32, peer: PeerIdentity, bucket: TokenBucket) {
        self.descriptor = descriptor
        self.peer = peer
        self.bucket = bucket
    }

    /// Bytes queued that the client has not taken.
    var unsentBytes: Int { output.count - outputStart }

    func enqueue(_ bytes: [UInt8]) {
        if outputStart > 0 && outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
        }
        output += bytes
    }

    /// Writes what the socket takes without blocking.
    ///
    /// - Returns: false when the client is gone (EPIPE, ECONNRESET …).
    func flush() -> Bool {
        while outputStart < output.count {
            let written = output.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(descriptor, base + outputStart, output.count - outputStart, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                outputStart += written
                continue
            }
            if written == 0 { return true }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
            if written < 0 && errno == EINTR { continue }
            return false
        }
        output.removeAll(keepingCapacity: true)
        outputStart = 0
        return true
    }
}
