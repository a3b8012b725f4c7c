import Energy
import EnergyAgent
import Foundation
import FootprintTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct AgentSocketTests {
    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test func socketIsWorldConnectableInA0755DirectoryAndRemovedOnStop() throws {
        let harness = try AgentHarness()
        try harness.start()
        #expect(mode(harness.socketPath) == 0o666)
        #expect(mode((harness.socketPath as NSString).deletingLastPathComponent) == 0o755)
        harness.stop()
        #expect(!FileManager.default.fileExists(atPath: harness.socketPath))
    }

    @Test func staleSocketIsReplaced() throws {
        let harness = try AgentHarness()
        // A socket file nobody listens on, as a killed agent leaves behind.
        try FileManager.default.createDirectory(
            atPath: (harness.socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in harness.socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        #expect(bound == 0)
        try harness.start()
        defer { harness.stop() }
        #expect(try harness.client().readMessage()?.hello != nil)
    }

    @Test func liveAgentOnTheSocketIsAnErrorNamingIt() throws {
        let first = try AgentHarness()
        try first.start()
        defer { first.stop() }
        let second = try AgentHarness(socketPath: first.socketPath)
        #expect(throws: AgentServerError.socketInUse(path: first.socketPath)) { try second.start() }
        // The first agent's socket is untouched.
        #expect(try first.client().readMessage()?.hello != nil)
    }

    @Test func fileThatIsNotASocketIsNeverRemoved() throws {
        let harness = try AgentHarness()
        try harness.machine.write("/run/footprint/agent.sock", "precious\n")
        #expect(throws: AgentServerError.notASocket(path: harness.socketPath)) { try harness.start() }
        #expect(try String(contentsOfFile: harness.socketPath, encoding: .utf8) == "precious\n")
    }

    @Test func pathTooLongForSunPathIsAClearError() throws {
        let path = "/tmp/" + String(repeating: "d", count: 120) + "/agent.sock"
        let harness = try AgentHarness(socketPath: path)
        let error = try #require(throws: AgentServerError.self) { try harness.start() }
        #expect(error == .socketPathTooLong(path: path, bytes: path.utf8.count))
        #expect(error.description.contains("at most 107"))
    }

    @Test func groupOrOtherWritableDirectoryIsRefused() throws {
        let harness = try AgentHarness()
        let directory = harness.machine.root + "/run/footprint"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for mode: mode_t in [0o775, 0o757, 0o1777] {
            #expect(chmod(directory, mode) == 0)
            let error = try #require(throws: AgentServerError.self) { try harness.start() }
            guard case .unsafeSocketDirectory(let path, let reason) = error else {
                Issue.record("mode \(String(mode, radix: 8)): \(error)")
                continue
            }
            #expect(path == directory)
            #expect(reason.contains("may write it (mode 0\(String(mode, radix: 8)))"))
            #expect(error.description.contains("chmod 0755 \(directory)"))
            #expect(!FileManager.default.fileExists(atPath: harness.socketPath))
        }
        // Made safe, the same directory serves.
        #expect(chmod(directory, 0o755) == 0)
        try harness.start()
        defer { harness.stop() }
        #expect(try harness.client().readMessage()?.hello != nil)
    }

    @Test func symlinkedDirectoryIsRefused() throws {
        let harness = try AgentHarness()
        let real = harness.machine.root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        #expect(chmod(real, 0o755) == 0)
        try FileManager.default.createDirectory(atPath: harness.machine.root + "/run", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: harness.machine.root + "/run/footprint", withDestinationPath: real)
        let error = try #require(throws: AgentServerError.self) { try harness.start() }
        #expect(error == .unsafeSocketDirectory(path: harness.machine.root + "/run/footprint", reason: "it is a symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: real).isEmpty)
    }

    @Test func directoryOfAnotherUserIsRefused() throws {
        let harness = try AgentHarness()
        let directory = harness.machine.root + "/run/footprint"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(chmod(directory, 0o755) == 0)
        guard chown(directory, 65534, 65534) == 0 else { return }  // Not root: nothing to test.
        let error = try #require(throws: AgentServerError.self) { try harness.start() }
        #expect(error.description.contains("owned by uid 65534"))
    }

    @Test func liveAgentWithAFullBacklogIsDetectedWithoutHanging() throws {
        let harness = try AgentHarness()
        let directory = harness.machine.root + "/run/footprint"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(chmod(directory, 0o755) == 0)
        // A listener that accepts nobody, its backlog filled by waiting clients.
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in harness.socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(listener, 0) == 0)
        var waiting: [Int32] = []
        defer {
            for descriptor in waiting { close(descriptor) }
            close(listener)
        }
        var full = false
        for _ in 0..<16 where !full {
            let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            waiting.append(client)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            full = connected != 0 && errno == EAGAIN
        }
        #expect(full)
        let outcome = StartOutcome()
        let done = DispatchSemaphore(value: 0)
        let server = harness.server
        Thread {
            do {
                try server.start()
                outcome.set("started")
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 5) == .success, "start() hung on the listener with a full backlog")
        #expect(outcome.value == "\(AgentServerError.socketInUse(path: harness.socketPath))")
    }
}

/// What a start on another thread came to.
private final class StartOutcome: @unchecked Sendable {
    // @unchecked: `text` is only touched under `lock`.
    private let lock = NSLock()
    private var text: String?

    func set(_ value: String) { lock.withLock { text = value } }
    var value: String? { lock.withLock { text } }
}
