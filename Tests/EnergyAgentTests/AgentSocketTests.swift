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
}
