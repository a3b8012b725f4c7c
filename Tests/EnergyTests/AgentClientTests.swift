import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// The `agent` meter against a fake `footprint agent` in a thread: zones and labels, accuracy,
/// the agent's refusals and protocol faults, and an agent that hangs, dies or restarts during
/// a run. Serialized: the runs are real-time and the fake agent's threads must not starve.
@Suite(.serialized) struct AgentClientTests {
    static let hostAndGPUs = [
        FakeAgent.Zone(meter: "rapl", role: "host", label: "package-0", watts: 40),
        FakeAgent.Zone(meter: "rapl", role: "host", label: "dram-0", watts: 6),
        FakeAgent.Zone(meter: "nvml", role: "devices", label: "gpu-0 (NVIDIA H200)", watts: 120, deviceIndex: 0),
        FakeAgent.Zone(meter: "nvml", role: "devices", label: "gpu-1 (NVIDIA H200)", watts: 80, deviceIndex: 1),
    ]

    /// A fixture machine with no counters of its own, a /proc the estimate can read, and the
    /// agent socket inside its tree.
    func machine() throws -> (FixtureMachine, MeterOptions) {
        let machine = try FixtureMachine()
        try machine.writeCPUInfo(modelName: "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", processors: 4)
        try machine.writeProcStat(user: 100, idle: 100)
        try machine.writeMeminfo(totalKilobytes: 8_000_000, availableKilobytes: 4_000_000)
        var options = machine.options
        options.samplingIntervalSeconds = 0.05
        return (machine, options)
    }

    func unavailableReason(_ options: MeterOptions) -> String? {
        do {
            _ = try AgentClient.openMeters(options: options)
            return nil
        } catch {
            guard case let .meterUnavailable("agent", reason) = error else { return "unexpected error: \(error)" }
            return reason
        }
    }

    @Test func servesAHostAndADevicesMeterLabelledByTheAgentsMeters() throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs)
        let opened = try AgentClient.openMeters(options: options)
        #expect(opened.meters.map(\.role) == [.host, .devices])
        #expect(opened.meters.map(\.name) == ["agent", "agent"])
        #expect(opened.meters[0].zones.map(\.label) == ["rapl package-0", "rapl dram-0"])
        #expect(opened.meters[1].zones.map(\.label) == ["nvml gpu-0 (NVIDIA H200)", "nvml gpu-1 (NVIDIA H200)"])
        #expect(opened.meters[1].zones.map(\.deviceIndex) == [0, 1])
        #expect(opened.meters[0].coveredKinds == [.agent, .rapl])
        #expect(opened.meters[1].coveredKinds == [.agent, .nvml])
        #expect(opened.meters[0].maximumPollIntervalSeconds == nil)
        #expect(opened.meters[0].resolution.source.hasPrefix("agent: rapl"))
        #expect(opened.notes.first?.contains("at \(options.agentSocketPath) serves rapl package-0") == true, "\(opened.notes)")
        // One read per poll time, however many meters ask.
        let before = agent.readsServed
        for step in 0..<5 {
            for meter in opened.meters { _ = meter.poll(atSeconds: Double(step)) }
        }
        #expect(agent.readsServed - before == 5)
        for meter in opened.meters { meter.close() }
    }

    @Test func aRunMeasuresThroughTheAgentWithinTwoPercentAndSaysSo() throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs)
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: 1.0)
        let measurement = monitor.stop(processCPUSeconds: nil)
        agent.stop()
        #expect(measurement.provenance == .measured, "\(measurement.notes)")
        let agentZones = measurement.meters.filter { $0.name == "agent" }
        #expect(agentZones.map(\.zone) == Self.hostAndGPUs.map { "\($0.meter) \($0.label)" })
        for zone in Self.hostAndGPUs {
            let recorded = try #require(agentZones.first { $0.zone == "\(zone.meter) \(zone.label)" }).joules
            let truth = zone.watts * measurement.seconds
            #expect(abs(recorded - truth) <= 0.02 * truth, "\(zone.label): \(recorded) J against \(truth) J")
        }
        let total = Self.hostAndGPUs.reduce(0) { $0 + $1.watts } * measurement.seconds
        #expect(abs(measurement.joules - total) <= 0.02 * total, "\(measurement.joules) J against \(total) J")
        // The agent covers RAPL and NVML: they are not opened again for the run.
        #expect(!measurement.notes.contains { $0.hasPrefix("rapl unavailable") }, "\(measurement.notes)")
    }

    @Test func onlyTheVisibleGPUsAreMeasured() throws {
        var (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs)
        options.visibleGPUs = [1]
        let opened = try AgentClient.openMeters(options: options)
        #expect(opened.meters.last?.zones.map(\.label) == ["nvml gpu-1 (NVIDIA H200)"])
        #expect(opened.notes.contains { $0.contains("nvml gpu-0 (NVIDIA H200) is not among this process's visible GPUs") })
        options.visibleGPUs = [3]
        options.devicesOnly = true
        let hostOnly = try AgentClient.openMeters(options: options)
        #expect(hostOnly.meters.map(\.role) == [.host], "no visible GPU: no devices meter")
        for meter in opened.meters + hostOnly.meters { meter.close() }
        agent.stop()
    }

    @Test func noSocketNamesThePathTheVariableAndTheAgent() throws {
        let (_, options) = try machine()
        let reason = try #require(unavailableReason(options))
        #expect(reason.contains("no agent at \(options.agentSocketPath)"), "\(reason)")
        #expect(reason.contains("FOOTPRINT_AGENT_SOCKET") && reason.contains("`footprint agent`"), "\(reason)")
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        #expect(selection.candidates.first { $0.kind == .agent }?.status == .unavailable)
    }

    @Test func aStaleSocketSaysTheAgentIsNotRunning() throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs)
        agent.stop()
        // A socket file nobody listens on, as an agent killed by SIGKILL leaves.
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in options.agentSocketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let reason = try #require(unavailableReason(options))
        #expect(reason.contains("a stale socket: the agent is not running"), "\(reason)")
    }

    @Test func aRefusalCarriesTheAgentsWords() throws {
        let (_, options) = try machine()
        let words =
            "uid 65534 (nobody) is not in group footprint (--allow-group footprint): ask the node's administrator to add nobody to footprint"
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs, behaviour: .refuse(words))
        defer { agent.stop() }
        let reason = try #require(unavailableReason(options))
        #expect(reason == "the agent at \(options.agentSocketPath) refused this process: \(words)")
    }

    @Test(arguments: [
        ("{\"hello\":{\"agent\":\"footprint-agent\",\"version\":99,\"pid\":7,\"zones\":[]}}", "speaks protocol version 99"),
        ("HTTP/1.1 400 Bad Request", "not footprint agent's protocol: 'HTTP/1.1 400 Bad Request'"),
        ("{\"hello\":{\"agent\":\"scaphandre\",\"version\":1,\"pid\":7,\"zones\":[]}}", "something other than footprint agent"),
        ("{\"reading\":{\"seconds\":1,\"microjoules\":[],\"bridgedMicrojoules\":[],\"unreadable\":[]}}", "did not start with its hello"),
        (String(repeating: "x", count: 3 << 20), "sent a line over 1048576 bytes"),
    ])
    func aFirstLineOutOfProtocolIsAClearError(line: String, expected: String) throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: [], behaviour: .firstLine(line))
        defer { agent.stop() }
        let reason = try #require(unavailableReason(options))
        #expect(reason.contains(expected), "\(reason.prefix(300))")
    }

    @Test func anAgentThatNeverAnswersCostsOnePollItsTimeoutThenNothing() throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs, behaviour: .hangAfterHello)
        defer { agent.stop() }
        let opened = try AgentClient.openMeters(options: options)
        let host = opened.meters[0]
        _ = host.poll(atSeconds: 0)  // the hello's connection: the first read times out, the reconnection too
        var begin = AgentConnection.now()
        let events = host.poll(atSeconds: 1)
        let stalled = AgentConnection.now() - begin
        #expect(events.isEmpty, "already lost at the first poll")
        #expect(stalled < 0.05)
        let reason = try #require(host.lostReason)
        #expect(reason.contains("did not answer within 500 ms"), "\(reason)")
        begin = AgentConnection.now()
        for step in 2..<20 { _ = opened.meters[step % 2].poll(atSeconds: Double(step)) }
        #expect(AgentConnection.now() - begin < 0.05, "a lost agent is never waited for again")
        for meter in opened.meters { meter.close() }
    }

    @Test func theFirstPollOfAHungAgentStallsNoLongerThanTheTimeout() throws {
        let (_, options) = try machine()
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.hostAndGPUs, behaviour: .hangAfterHello)
        defer { agent.stop() }
        let opened = try AgentClient.openMeters(options: options)
        let begin = AgentConnection.now()
        let events = opened.meters[0].poll(atSeconds: 0)
        let stalled = AgentConnection.now() - begin
        #expect(stalled <= AgentConnection.timeoutSeconds + 0.1, "\(stalled) s")
        #expect(stalled >= AgentClient.Session.firstReadSeconds, "\(stalled) s")
        #expect(opened.meters[0].lostReason != nil)
        #expect(events.isEmpty, "no reading before: nothing to fail yet")
        for meter in opened.meters { meter.close() }
    }

    /// Runs the monitor over a fake agent for `before` seconds, lets `fault` happen, runs on for
    /// `after` seconds and stops.
    func runAcrossAFault(
        zones: [FakeAgent.Zone], before: Double, after: Double, fault: (FakeAgent, MeterOptions) throws -> FakeAgent?
    ) throws -> EnergyMeasurement {
        var (_, options) = try machine()
        options.cpuWatts = 10
        let agent = try FakeAgent(path: options.agentSocketPath, zones: zones)
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: before)
        let replacement = try fault(agent, options)
        Thread.sleep(forTimeInterval: after)
        let measurement = monitor.stop(processCPUSeconds: nil)
        agent.stop()
        replacement?.stop()
        print(
            "\(measurement.joules) J over \(measurement.seconds) s, \(measurement.meters.map { "\($0.name) \($0.zone) \($0.joules) included \($0.includedInTotal)" }), notes \(measurement.notes)"
        )
        return measurement
    }

    @Test func theAgentDyingMidRunBridgesTheGapAndTheEstimateStandsIn() throws {
        let zones = [
            FakeAgent.Zone(meter: "rapl", role: "host", label: "package-0", watts: 40),
            FakeAgent.Zone(meter: "nvml", role: "devices", label: "gpu-0 (NVIDIA H200)", watts: 100, deviceIndex: 0),
        ]
        let measurement = try runAcrossAFault(zones: zones, before: 0.6, after: 0.6) { agent, _ in
            agent.stop()
            return nil
        }
        #expect(measurement.seconds > 1.1)
        let lost = try #require(measurement.notes.first { $0.hasPrefix("agent: the connection to") }, "\(measurement.notes)")
        #expect(lost.contains("the CPU") && lost.contains("energy is estimated"), "\(lost)")
        // The host's gap up to the loss is bridged and marked; the estimate counts from then on.
        #expect(measurement.notes.contains { $0.hasPrefix("agent rapl package-0:") && $0.contains("bridged") }, "\(measurement.notes)")
        let package = try #require(measurement.meters.first { $0.name == "agent" && $0.zone == "rapl package-0" })
        #expect(package.joules > 0.5 * 40 * 0.6 && package.joules < 40 * 0.9, "measured until the loss: \(package.joules) J")
        #expect(measurement.meters.contains { $0.name == "estimate" && $0.includedInTotal && $0.joules > 0 }, "\(measurement.meters)")
        // The GPU, with no stand-in, is bridged to the end at its power before the loss.
        let gpu = try #require(measurement.meters.first { $0.zone == "nvml gpu-0 (NVIDIA H200)" })
        let gpuTruth = 100 * measurement.seconds
        #expect(abs(gpu.joules - gpuTruth) <= 0.05 * gpuTruth, "\(gpu.joules) J against \(gpuTruth) J")
        #expect((gpu.bridgedSeconds ?? 0) > 0.4, "\(gpu)")
        #expect(!measurement.resolved, "a figure that is 45 % bridged is not a result")
    }

    @Test func anAgentRestartedMidRunIsReconnectedAndItsResetBridged() throws {
        let zones = [FakeAgent.Zone(meter: "rapl", role: "host", label: "package-0", watts: 40)]
        let measurement = try runAcrossAFault(zones: zones, before: 0.6, after: 0.6) { agent, options in
            // The new agent takes the path over first, so the client's one reconnection finds it.
            let restarted = try FakeAgent(path: options.agentSocketPath, zones: zones)
            agent.stop(removingSocket: false)
            return restarted
        }
        #expect(!measurement.notes.contains { $0.hasPrefix("agent: the connection to") }, "\(measurement.notes)")
        let reset = try #require(measurement.notes.first { $0.hasPrefix("agent rapl package-0:") }, "\(measurement.notes)")
        #expect(reset.contains("reset"), "\(reset)")
        let package = try #require(measurement.meters.first { $0.name == "agent" && $0.zone == "rapl package-0" })
        let truth = 40 * measurement.seconds
        #expect(abs(package.joules - truth) <= 0.05 * truth, "\(package.joules) J against \(truth) J")
        #expect(measurement.provenance == .measured)
    }
}
