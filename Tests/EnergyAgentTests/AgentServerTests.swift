import Energy
import EnergyAgent
import Foundation
import FootprintTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct AgentServerTests {
    @Test func helloListsTheZonesWithAtLeastMicrojouleSteps() throws {
        let harness = try AgentHarness()
        try harness.start()
        defer { harness.stop() }
        let client = try harness.client()
        let hello = try #require(try client.readMessage()?.hello)
        #expect(hello.agent == "footprint-agent")
        #expect(hello.version == AgentWire.protocolVersion)
        #expect(hello.pid == getpid())
        let zone = try #require(hello.zones.first)
        #expect(hello.zones.count == 1)
        #expect(zone.meter == "rapl")
        #expect(zone.role == "host")
        #expect(zone.label == "package-0")
        #expect(zone.included)
        #expect(zone.counter.hasSuffix("energy_uj"))
        #expect(zone.stepJoules >= 1e-6)
        #expect(!zone.sampledPower)
    }

    @Test func readsMoveAtTheDrivenPower() throws {
        let harness = try AgentHarness()
        let writer = ConstantPowerWriter(machine: harness.machine, zoneID: "intel-rapl:0", watts: 40, rangeMicrojoules: 262_143_328_850)
        writer.start()
        defer { _ = writer.stop() }
        try harness.start()
        defer { harness.stop() }
        let client = try harness.greetedClient()
        Thread.sleep(forTimeInterval: 0.05)
        let first = try client.read()
        Thread.sleep(forTimeInterval: 0.6)
        let second = try client.read()
        let servedJoules = Double(second.microjoules[0] - first.microjoules[0]) / 1e6
        // What the counter showed at the agent's two reads: the truth, whatever the writer's lag.
        let drawnJoules = writer.drawnJoules(atMonotonicSeconds: second.seconds) - writer.drawnJoules(atMonotonicSeconds: first.seconds)
        #expect(drawnJoules > 10)
        #expect(abs(servedJoules - drawnJoules) / drawnJoules < 0.02, "served \(servedJoules) J, drawn \(drawnJoules) J")
        #expect(second.unreadable == [false])
        #expect(second.bridgedMicrojoules == [0])
    }

    @Test func unknownRequestIsAnErrorAndClosesTheConnection() throws {
        let harness = try AgentHarness()
        try harness.start()
        defer { harness.stop() }
        let client = try harness.greetedClient()
        try client.send("write 5\n")
        let error = try #require(try client.readMessage()?.error)
        #expect(error.contains("unknown request 'write 5'"))
        #expect(try client.readLine() == nil)
    }

    @Test func oversizeLineIsAnErrorWithOrWithoutANewline() throws {
        let harness = try AgentHarness()
        try harness.start()
        defer { harness.stop() }
        let withNewline = try harness.greetedClient()
        try withNewline.send(String(repeating: "r", count: AgentWire.maximumRequestBytes) + "\n")
        #expect(try withNewline.readMessage()?.error?.contains("over 64 bytes") == true)
        #expect(try withNewline.readLine() == nil)
        let endless = try harness.greetedClient()
        try endless.send(String(repeating: "r", count: 1000))
        #expect(try endless.readMessage()?.error?.contains("over 64 bytes") == true)
        // A line of exactly 64 bytes with its newline is served.
        let padded = try harness.greetedClient()
        try padded.send("read" + String(repeating: " ", count: AgentWire.maximumRequestBytes - 5) + "\n")
        #expect(try padded.readMessage()?.reading != nil)
    }

    @Test func burstOverTheRateLimitIsCutOff() throws {
        let harness = try AgentHarness()
        try harness.start()
        defer { harness.stop() }
        let client = try harness.greetedClient()
        try client.send(String(repeating: "read\n", count: 150))
        var readings = 0
        var error: String?
        while let message = try client.readMessage() {
            if message.reading != nil { readings += 1 }
            if let text = message.error {
                error = text
                break
            }
        }
        #expect((100...105).contains(readings))
        #expect(error?.contains("too many requests") == true)
        #expect(harness.logged.all.contains { $0.contains("too many requests") })
    }

    @Test func sustainedReadsUnderTheLimitAreServed() throws {
        let harness = try AgentHarness()
        try harness.start()
        defer { harness.stop() }
        let client = try harness.greetedClient()
        // 150 reads at about 150 a second: over the burst, under the rate.
        for _ in 0..<150 {
            _ = try client.read()
            Thread.sleep(forTimeInterval: 1.0 / 150)
        }
    }

    @Test func slowReaderIsDroppedWithoutStallingOthers() throws {
        var limits = AgentServer.Limits()
        limits.requestsPerSecond = 1e9
        limits.burstRequests = 1e9
        limits.maximumUnreadOutputBytes = 8192
        let harness = try AgentHarness(limits: limits)
        try harness.start()
        defer { harness.stop() }
        let slow = try harness.client(receiveBufferBytes: 4096)
        let other = try harness.greetedClient()
        // Thousands of reads, never read: the socket's buffer and the agent's allowance fill.
        let burst = String(repeating: "read\n", count: 12)
        var sent = 0
        for _ in 0..<1000 {
            guard (try? slow.send(burst)) != nil else { break }
            sent += 12
            let start = Date()
            _ = try other.read()
            #expect(Date().timeIntervalSince(start) < 0.5)
        }
        #expect(slow.peerClosed(withinSeconds: 2), "the slow reader was not dropped after \(sent) reads")
        #expect(harness.logged.all.contains { $0.contains("left unread") })
        _ = try other.read()
    }

    @Test func connectionsPerUserAreCapped() throws {
        var limits = AgentServer.Limits()
        limits.maximumConnectionsPerUser = 3
        let harness = try AgentHarness(limits: limits)
        try harness.start()
        defer { harness.stop() }
        var admitted = try (0..<3).map { _ in try harness.greetedClient() }
        let refused = try harness.client()
        let error = try #require(try refused.readMessage()?.error)
        #expect(error.contains("already holds 3 connections"))
        #expect(try refused.readLine() == nil)
        // A closed connection frees its place.
        admitted.removeLast()
        Thread.sleep(forTimeInterval: 0.1)
        let again = try harness.client()
        #expect(try again.readMessage()?.hello != nil)
        #expect(admitted.count == 2)
    }

    @Test func connectionsInAllAreCapped() throws {
        var limits = AgentServer.Limits()
        limits.maximumConnections = 4
        let harness = try AgentHarness(limits: limits)
        try harness.start()
        defer { harness.stop() }
        let admitted = try (0..<4).map { _ in try harness.greetedClient() }
        let refused = try harness.client()
        #expect(try refused.readMessage()?.error?.contains("already serves 4 connections") == true)
        #expect(admitted.count == 4)
        _ = try admitted[0].read()
    }
}
