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
    /// Sent bytes kept at the front of `output` before they are dropped: a client that reads
    /// exactly as fast as it asks leaves some bytes unsent after every flush, so `output` is
    /// never fully drained and must be compacted while it still holds unsent bytes.
    static let compactionBytes = 65_536

    init(descriptor: Int32, peer: PeerIdentity, bucket: TokenBucket) {
        self.descriptor = descriptor
        self.peer = peer
        self.bucket = bucket
    }

    /// Bytes queued that the client has not taken.
    var unsentBytes: Int { output.count - outputStart }

    /// Bytes held for this client, sent ones not yet compacted away included.
    var bufferedBytes: Int { output.count }

    func enqueue(_ bytes: [UInt8]) {
        compact()
        output += bytes
    }

    /// Drops the bytes already sent once they are all of the buffer, half of it, or 64 KiB,
    /// so the buffer stays within twice the unsent bytes plus 64 KiB, and a drop copies at
    /// most as many bytes as it frees.
    private func compact() {
        guard outputStart > 0 else { return }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
        } else if outputStart >= Self.compactionBytes || outputStart * 2 >= output.count {
            output.removeFirst(outputStart)
            outputStart = 0
        }
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
            if written == 0 || (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                compact()
                return true
            }
            if written < 0 && errno == EINTR { continue }
            return false
        }
        output.removeAll(keepingCapacity: true)
        outputStart = 0
        return true
    }
}
