import Energy
import Foundation
import Testing

/// Refusals of a real other user: a client run as `nobody`, whose credentials the kernel gives
/// the agent through SO_PEERCRED.
@Suite struct AgentRefusalTests {
    /// A Python client run as nobody: prints the agent's first line.
    private func firstLineAsNobody(socketPath: String) throws -> String? {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        else { return nil }
        let script =
            "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
            + "print(s.makefile().readline().strip())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", "/usr/bin/python3", "-c", script, socketPath]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func userOutsideTheAllowedGroupIsRefusedByName() throws {
        // root's group: nobody is not in it, and root (this test) is always served.
        let harness = try AgentHarness(allowGroup: "root")
        try harness.start()
        defer { harness.stop() }
        #expect(try harness.client().readMessage()?.hello != nil)
        guard let line = try firstLineAsNobody(socketPath: harness.socketPath) else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI runs as root with runuser and python3")
            return
        }
        let message = try JSONDecoder().decode(AgentWire.Message.self, from: Data(line.utf8))
        let error = try #require(message.error, "expected a refusal, got \(line)")
        #expect(error.contains("nobody (uid 65534)"))
        #expect(error.contains("--allow-group root"))
        #expect(error.contains("usermod -aG root nobody"))
        #expect(harness.logged.all.contains { $0.contains("refused nobody") })
    }

    @Test func memberOfTheAllowedGroupIsServed() throws {
        let harness = try AgentHarness(allowGroup: "nogroup")
        try harness.start()
        defer { harness.stop() }
        guard let line = try firstLineAsNobody(socketPath: harness.socketPath) else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI runs as root with runuser and python3")
            return
        }
        let message = try JSONDecoder().decode(AgentWire.Message.self, from: Data(line.utf8))
        #expect(message.hello?.zones.first?.label == "package-0", "got \(line)")
    }
}
