import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// `zoneJoules()` and `latestSamples()`: the per-zone figures live metrics export.
@Suite struct EnergyMonitorZonesTests {
    @Test func zoneJoulesBreakTheTotalDownAndMarkZonesOutsideIt() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:0:1", name: "dram")
        let clock = FakeClock()
        var options = machine.options(clock: clock)
        options.samplingIntervalSeconds = 30
        options.allowedMeters = [.rapl]
        let monitor = EnergyMonitor(options: options)
        #expect(monitor.zoneJoules().isEmpty, "nothing before start")
        try monitor.start()
        clock.advance(seconds: 2)
        try machine.setEnergy("intel-rapl:0", microjoules: 6_000_000)
        try machine.setEnergy("intel-rapl:0:0", microjoules: 4_000_000)
        try machine.setEnergy("intel-rapl:0:1", microjoules: 2_000_000)
        let reading = monitor.reading()
        let zones = monitor.zoneJoules()
        let byZone = Dictionary(uniqueKeysWithValues: zones.map { ($0.zone, $0) })
        #expect(Set(byZone.keys) == ["package-0", "core-0", "dram-0"])
        #expect(abs((byZone["package-0"]?.joules ?? 0) - 6) < 1e-9 && byZone["package-0"]?.includedInTotal == true)
        #expect(abs((byZone["core-0"]?.joules ?? 0) - 4) < 1e-9 && byZone["core-0"]?.includedInTotal == false, "core is inside package")
        #expect(zones.allSatisfy { $0.name == "rapl" && $0.provenance == .measured })
        let includedSum = zones.filter(\.includedInTotal).map(\.joules).reduce(0, +)
        #expect(abs(includedSum - reading.joules) < 1e-9, "the zones in the total add up to the reading")

        let measurement = monitor.stop(processCPUSeconds: nil)
        let final = monitor.zoneJoules()
        #expect(abs(final.filter(\.includedInTotal).map(\.joules).reduce(0, +) - measurement.joules) < 1e-9)
        #expect(final.map(\.zone) == zones.map(\.zone), "zone names stay the same after stop")
    }

    @Test func latestSamplesShowTheNewestSampleOfEachZoneWithoutTakingThem() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:1", name: "dram")
        let clock = FakeClock()
        var options = machine.options(clock: clock)
        options.samplingIntervalSeconds = 30
        options.allowedMeters = [.rapl]
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        clock.advance(seconds: 1)
        try machine.setEnergy("intel-rapl:0", microjoules: 5_000_000)
        _ = monitor.stop(processCPUSeconds: nil)  // records a last sample of every zone
        let latest = monitor.latestSamples()
        #expect(latest.map(\.zone).sorted() == ["dram-0", "package-0"])
        #expect(monitor.latestSamples() == latest, "peeking takes nothing")
        let drained = monitor.drainSamples()
        #expect(drained.count >= 2)
        for sample in latest {
            #expect(sample == drained.last { $0.zone == sample.zone }, "the newest of \(sample.zone)")
        }
        #expect(monitor.latestSamples().isEmpty, "nothing left once drained")
    }
}
