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
