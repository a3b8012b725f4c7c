import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// hwmon GPUs served by the agent follow the rules a local hwmon meter follows: amdgpu by the
/// AMD visible-device variables, Intel GPUs left to the node's first rank; and a local AMD SMI
/// never counts again the AMD GPUs whose power the agent already serves.
@Suite struct AgentHwmonRulesTests {
    static let zones = [
        FakeAgent.Zone(meter: "rapl", role: "host", label: "package-0", watts: 40),
        FakeAgent.Zone(meter: "hwmon", role: "devices", label: "amdgpu card0 PPT", watts: 200, deviceIndex: 0, driver: "amdgpu"),
        FakeAgent.Zone(meter: "hwmon", role: "devices", label: "amdgpu card1 PPT", watts: 150, deviceIndex: 1, driver: "amdgpu"),
        FakeAgent.Zone(meter: "hwmon", role: "devices", label: "xe card", watts: 60, deviceIndex: 0, driver: "xe"),
    ]

    func options(_ machine: FixtureMachine) -> MeterOptions {
        var options = machine.options
        options.samplingIntervalSeconds = 0.05
        return options
    }

    @Test func amdgpuZonesFollowTheAMDVisibleDevices() throws {
        let machine = try FixtureMachine()
        var options = options(machine)
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.zones)
        defer { agent.stop() }
        options.visibleAMDGPUs = [1]
        let opened = try AgentClient.openMeters(options: options)
        defer { opened.meters.forEach { $0.close() } }
        let devices = try #require(opened.meters.first { $0.role == .devices })
        #expect(devices.zones.map(\.label) == ["hwmon amdgpu card1 PPT", "hwmon xe card"])
        #expect(opened.notes.contains { $0.contains("amdgpu card0 PPT is not among this process's visible GPUs") })
    }

    @Test func aDevicesOnlyRankLeavesIntelGPUsToTheFirstRank() throws {
        let machine = try FixtureMachine()
        var options = options(machine)
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.zones)
        defer { agent.stop() }
        options.devicesOnly = true
        let opened = try AgentClient.openMeters(options: options)
        defer { opened.meters.forEach { $0.close() } }
        let devices = try #require(opened.meters.first { $0.role == .devices })
        #expect(!devices.zones.map(\.label).contains("hwmon xe card"))
        #expect(opened.notes.contains { $0.contains("xe card is left to the node's first rank") })
    }

    @Test func aLocalAMDSMIDoesNotCountAgainTheGPUsTheAgentServes() throws {
        let machine = try FixtureMachine()
        var options = options(machine)
        let agent = try FakeAgent(path: options.agentSocketPath, zones: Self.zones)
        defer { agent.stop() }
        options.amdsmiLibraryName = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={200.0,150.0}"])
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        defer { selection.meters.forEach { $0.close() } }
        let amdsmi = try #require(selection.candidates.first { $0.kind == .amdsmi })
        #expect(amdsmi.status == .notNeeded, "\(amdsmi)")
        #expect(amdsmi.reason?.contains("agent already measures") == true)
        #expect(!selection.meters.contains { $0.kind == .amdsmi })
    }

    @Test func aLocalAMDGPUHwmonYieldsToTheAMDSMIZonesTheAgentServes() throws {
        let machine = try FixtureMachine()
        try machine.addAMDGPU()
        var options = options(machine)
        let agent = try FakeAgent(
            path: options.agentSocketPath,
            zones: [FakeAgent.Zone(meter: "amdsmi", role: "devices", label: "gpu-0 (AMD Instinct MI210)", watts: 200, deviceIndex: 0)])
        defer { agent.stop() }
        options.allowedMeters = [.agent, .hwmon]
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        defer { selection.meters.forEach { $0.close() } }
        let hwmon = try #require(selection.meters.first { $0.kind == .hwmon })
        #expect(hwmon.zones.filter(\.includedInTotal).isEmpty, "\(hwmon.zones.map(\.label))")
        let candidate = try #require(selection.candidates.first { $0.kind == .hwmon })
        #expect(candidate.notes.contains { $0.contains("AMD SMI measures the same GPUs") }, "\(candidate.notes)")
    }
}
