import Energy
import Foundation
import FootprintTestKit
import Testing

/// The agent tells clients which zones are sampled power rather than a counter, as the meter
/// that reads them knows.
@Suite struct AgentSampledPowerTests {
    @Test func aGPUWithoutAnEnergyCounterIsServedAsSampledPower() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={150.0}", "NO_ENERGY_FUNCTION"])
        let machine = try FixtureMachine()
        var options = machine.options
        options.nvmlLibraryName = library
        let counters = try AgentCounterSet(options: options)
        defer { counters.close() }
        let gpu = try #require(counters.hello.zones.first { $0.meter == "nvml" })
        #expect(gpu.sampledPower)
        #expect(gpu.role == "devices")
        #expect(gpu.deviceIndex == 0)
    }

    @Test func aGPUWithAnEnergyCounterIsServedAsACounter() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={150.0}"])
        let machine = try FixtureMachine()
        var options = machine.options
        options.nvmlLibraryName = library
        let counters = try AgentCounterSet(options: options)
        defer { counters.close() }
        let gpu = try #require(counters.hello.zones.first { $0.meter == "nvml" })
        #expect(!gpu.sampledPower)
    }
}

/// hwmon through the agent: amdgpu's power is served as sampled power, xe's counter as a counter.
@Suite struct AgentHwmonSampledPowerTests {
    @Test func amdgpuPowerIsSampledAndXeEnergyIsACounter() throws {
        let machine = try FixtureMachine()
        try machine.addAMDGPU()
        try machine.addXeGPU()
        // The probe moves the xe counter as a live GPU's moves.
        let counters = try AgentCounterSet(options: machine.hwmonOptions(clock: FakeClock()))
        defer { counters.close() }
        let zones = counters.hello.zones.filter { $0.meter == "hwmon" }
        #expect(zones.first { $0.label.hasPrefix("amdgpu") }?.sampledPower == true, "\(zones)")
        #expect(zones.first { $0.label == "xe card" }?.sampledPower == false, "\(zones)")
        // The driver travels, so a client applies the local hwmon rules to what it is served.
        #expect(zones.first { $0.label.hasPrefix("amdgpu") }?.driver == "amdgpu")
        #expect(zones.first { $0.label == "xe card" }?.driver == "xe")
    }
}

/// What a client is told about resolution is what it can see: the agent's polls, at most one
/// per coalescing window, not the counter's own refresh.
@Suite struct AgentServedResolutionTests {
    @Test func aRAPLZoneIsServedWithTheAgentsPollPeriod() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        let counters = try AgentCounterSet(options: machine.options)
        defer { counters.close() }
        let zone = try #require(counters.hello.zones.first)
        #expect(zone.periodSeconds == AgentCounterSet.coalescingSeconds, "RAPL refreshes every 1 ms; a client sees 20 ms")
        #expect(zone.resolution.contains("polled by the agent at most every 20 ms"), "\(zone.resolution)")
    }
}
