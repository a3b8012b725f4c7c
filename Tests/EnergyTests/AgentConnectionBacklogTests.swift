import Foundation
import Testing

@testable import Energy

#if canImport(Glibc)
import Glibc
#endif

/// A Unix socket whose listener's backlog is full refuses a non-blocking connect with EAGAIN at
/// once: the client connects again until its deadline rather than taking the refusal for a
/// connection in progress.
@Suite(.serialized) struct AgentConnectionBacklogTests {
    /// A listener with the smallest backlog, filled by connections nobody accepts.
    ///
    /// @unchecked: after `init`, `fillers` is touched only by the one thread that accepts, and
    /// by `deinit`, which runs once that thread has let go of it.
    final class FullListener: @unchecked Sendable {
        let path: String
        let listener: Int32
        private(set) var fillers: [Int32] = []

        init() throws {
            path = NSTemporaryDirectory() + "fp-backlog-\(UUID().uuidString.prefix(8)).sock"
            listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0 && listen(listener, 0) == 0)
            // Connect until the kernel says EAGAIN: the backlog is full.
            for _ in 0..<64 {
                let filler = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                let result = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(filler, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
                if result != 0 {
                    close(filler)
                    try #require(errno == EAGAIN, "errno \(errno)")
                    return
                }
                fillers.append(filler)
            }
            Issue.record("the backlog never filled")
        }

        /// Accepts every pending connection and greets each with a hello.
        func acceptAll() {
            let hello = #"{"hello":{"agent":"footprint-agent","version":1,"pid":1,"zones":[]}}"# + "\n"
            _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
            while true {
                let accepted = accept(listener, nil, nil)
                guard accepted >= 0 else { return }
                _ = hello.withCString { write(accepted, $0, strlen($0)) }
                fillers.append(accepted)
            }
        }

        deinit {
            for descriptor in fillers { close(descriptor) }
            close(listener)
            unlink(path)
        }
    }

    @Test func aBacklogThatStaysFullIsATimeoutThatSaysSo() throws {
        let listener = try FullListener()
        let start = AgentConnection.now()
        #expect {
            _ = try AgentConnection(path: listener.path, timeoutSeconds: 0.3)
        } throws: { error in
            (error as? AgentConnection.Failure)?.reason.contains("backlog stayed full") == true
        }
        #expect(AgentConnection.now() - start >= 0.25, "it waited for the agent to accept")
    }

    @Test func aBacklogThatClearsWithinTheDeadlineConnects() throws {
        let listener = try FullListener()
        let accepting = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            listener.acceptAll()
            Thread.sleep(forTimeInterval: 0.05)
            listener.acceptAll()
        }
        accepting.start()
        let connection = try AgentConnection(path: listener.path, timeoutSeconds: 0.5)
        #expect(connection.hello.agent == "footprint-agent")
    }
}
