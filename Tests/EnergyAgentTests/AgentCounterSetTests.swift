import Energy
import Foundation
import FootprintTestKit
import Testing

@Suite struct AgentCounterSetTests {
    @Test func readsWithinTwentyMillisecondsShareOnePoll() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
        let clock = FakeClock()
        let counters = try AgentCounterSet(options: machine.options(clock: clock))
        defer { counters.close() }
        let start = clock.now() + 1
        let first = counters.read(atSeconds: start)
        try machine.setEnergy("intel-rapl:0", microjoules: 3_000_000)
        // 64 connections of one user reading as fast as allowed cause at most 50 polls a second.
        let coalesced = counters.read(atSeconds: start + 0.015)
        #expect(coalesced == first)
        let later = counters.read(atSeconds: start + 0.021)
        #expect(later.seconds == start + 0.021)
        #expect(later.microjoules[0] - first.microjoules[0] == 2_000_000)
    }

    @Test func countsNeverGoBackAndUnreadableZonesAreFlagged() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
        let clock = FakeClock()
        let counters = try AgentCounterSet(options: machine.options(clock: clock))
        defer { counters.close() }
        let start = clock.now() + 1
        let before = counters.read(atSeconds: start)
        try machine.remove(machine.zoneDirectory("intel-rapl:0") + "/energy_uj")
        let failed = counters.read(atSeconds: start + 0.1)
        #expect(failed.unreadable == [true])
        #expect(failed.microjoules[0] >= before.microjoules[0])
    }

    @Test func backgroundPollIsHalfTheWrapBoundAndAtMostHalfASecond() throws {
        let roomy = try FixtureMachine()
        try roomy.addZone("intel-rapl:0", name: "package-0")
        let wide = try AgentCounterSet(options: roomy.options)
        #expect(wide.backgroundPollIntervalSeconds == 0.5)
        wide.close()
        // A 100 J range at 1500 W per zone wraps in about 67 ms: polled well within that.
        let tight = try FixtureMachine()
        try tight.addZone("intel-rapl:0", name: "package-0", maxRangeMicrojoules: 100_000_000)
        let narrow = try AgentCounterSet(options: tight.options)
        #expect(narrow.backgroundPollIntervalSeconds < 0.067)
        #expect(narrow.backgroundPollIntervalSeconds > 0)
        narrow.close()
    }

    @Test func nothingToServeIsAnErrorListingWhatWasTried() throws {
        let machine = try FixtureMachine()
        var options = machine.options
        options.hwmonRoot = "/sys/class/hwmon-absent"
        let error = try #require(throws: EnergyError.self) { try AgentCounterSet(options: options) }
        let text = error.description
        #expect(text.contains("no counter it can serve"))
        for meter in ["rapl", "perf", "nvml", "amdsmi", "hwmon"] { #expect(text.contains(meter)) }
        #expect(!text.contains("estimate"))
    }

    @Test func theAgentAndTheEstimateAreNeverServed() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        var options = machine.options
        options.allowedMeters = [.agent, .estimate, .rapl]
        let counters = try AgentCounterSet(options: options)
        defer { counters.close() }
        #expect(counters.hello.zones.map(\.meter) == ["rapl"])
        #expect(!counters.candidates.contains { $0.kind == .agent || $0.kind == .estimate })
    }
}
