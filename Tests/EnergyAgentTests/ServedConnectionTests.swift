import Foundation
import Testing

@testable import EnergyAgent

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServedConnectionTests {
    /// A client that reads exactly as many bytes as it is sent, behind a backlog it never
    /// catches up on: every flush ends on EAGAIN with bytes still unsent.
    @Test func steadyClientBehindABacklogKeepsTheBufferBounded() throws {
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        var sendBuffer: Int32 = 4096
        setsockopt(ends[0], SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        let connection = ServedConnection(
            descriptor: ends[0], peer: PeerIdentity(uid: 1000, gid: 1000, pid: 1),
            bucket: TokenBucket(perSecond: 1e9, burst: 1e9, nowSeconds: 0))
        var expected: [UInt8] = []
        func line(_ number: Int) -> [UInt8] {
            let text = "{\"reading\":\(number)}"
            return Array((text + String(repeating: " ", count: 99 - text.utf8.count) + "\n").utf8)
        }
        // A 40 KB backlog: under the 64 KiB a client may leave unread.
        for number in 0..<400 {
            connection.enqueue(line(number))
            expected += line(number)
        }
        #expect(connection.flush())
        #expect(connection.unsentBytes > 20_000)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 100)
        for number in 400..<6400 {
            connection.enqueue(line(number))
            expected += line(number)
            #expect(connection.flush())
            var taken = 0
            while taken < 100 {
                let count = chunk.withUnsafeMutableBytes { recv(ends[1], $0.baseAddress, 100 - taken, 0) }
                if count > 0 {
                    received += chunk[..<count]
                    taken += count
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    Issue.record("recv failed: errno \(errno)")
                    return
                }
            }
        }
        // 600 KB went through; before, every byte ever sent stayed in the buffer.
        #expect(connection.unsentBytes > 0)
        #expect(
            connection.bufferedBytes <= 2 * connection.unsentBytes + ServedConnection.compactionBytes,
            "\(connection.bufferedBytes) bytes held for \(connection.unsentBytes) unsent")
        // What was compacted away had been sent, and nothing else: the stream is intact.
        while true {
            #expect(connection.flush())
            let count = chunk.withUnsafeMutableBytes { recv(ends[1], $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[..<count]
            } else if connection.unsentBytes == 0 {
                break
            }
        }
        #expect(received == expected)
    }
}
