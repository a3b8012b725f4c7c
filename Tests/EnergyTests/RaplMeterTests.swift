import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// The RAPL meter and the monitor on fixture counters that wrap, reset, vanish or are denied.
@Suite struct RaplMeterTests {
    /// A monitor whose thread never polls on its own, so the test decides when counters are read.
    /// A monitor that samples only when asked; `raplOnly` leaves the estimate out, so nothing
    /// stands in for a distrusted counter.
    private func manualMonitor(_ options: MeterOptions, raplOnly: Bool = false) -> EnergyMonitor {
        var options = options
        options.samplingIntervalSeconds = 30
        options.disabledMeters = ["nvml"]
        if raplOnly { options.allowedMeters = [.rapl] }
        return EnergyMonitor(options: options)
    }

    @Test func addsTheRangeOnceWhenTheCounterWraps() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 900_000, maxRangeMicrojoules: 1_000_000)
        let meter = try RaplMeter(options: machine.options)
        #expect(meter.poll(atSeconds: 0).isEmpty)
        try machine.setEnergy("intel-rapl:0", microjoules: 100_000)
        let events = meter.poll(atSeconds: 1)
        #expect(events.map(\.event) == [.wrapped])
        #expect(abs(meter.zones[0].joules - 0.2) < 1e-9)
    }

    @Test func pollingPeriodIsBoundedByTheWrapTime() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", maxRangeMicrojoules: 2_000_000)
        var options = machine.options
        options.peakWattsPerZone = 100
        let meter = try RaplMeter(options: options)
        // 2 J at 100 W wraps in 20 ms; poll at least twice as often.
        #expect(meter.maximumPollIntervalSeconds == 0.01)
    }

    @Test func aCounterWithoutRangeThatResetsLosesOnlyThatIntervalAndSaysSoOnce() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000, maxRangeMicrojoules: nil)
        try machine.addZone("intel-rapl:0:0", name: "dram", microjoules: 0, maxRangeMicrojoules: nil)
        // 2 W in fake time, restarting from zero at 101.15 s: the counter follows the clock, so
        // the sampler thread, whenever it polls, sees what a real counter would show then.
        let counter = machine.root + machine.zoneDirectory("intel-rapl:0") + "/energy_uj"
        let clock = FakeClock(startSeconds: 100) { seconds in
            let joules = seconds < 101.15 ? 1 + 2 * (seconds - 100) : 2 * (seconds - 101.15)
            try? Data("\(UInt64((joules * 1e6).rounded()))\n".utf8).write(to: URL(fileURLWithPath: counter), options: .atomic)
        }
        let monitor = manualMonitor(machine.options(clock: clock), raplOnly: true)
        try monitor.start()  // the probe moves the clock to 100.1 s
        clock.advance(seconds: 1)
        #expect(abs(monitor.reading().joules - 2) < 1e-9)
        clock.advance(seconds: 0.1)
        #expect(abs(monitor.reading().joules - 2) < 1e-9, "the lost 0.1 s waits for the power after it")
        clock.advance(seconds: 1)
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(abs(measurement.joules - 4.2) < 1e-9, "2 J, 0.2 J bridged over 0.1 s at 2 W, 2 J")
        #expect(measurement.provenance == .measured)
        #expect(measurement.resolved, "5 % of the energy is bridged, not more")
        let package = try #require(measurement.meters.first { $0.zone == "package-0" })
        #expect(package.bridgedSeconds.map { abs($0 - 0.1) < 1e-9 } == true)
        #expect(package.bridgedJoules.map { abs($0 - 0.2) < 1e-9 } == true)
        #expect(measurement.minimumJoules.map { abs($0 - 4) < 1e-9 } == true)
        let notes = measurement.notes.filter { $0.hasPrefix("rapl package-0:") }
        #expect(notes.count == 1, "\(measurement.notes)")
        #expect(
            notes.first?.contains("reset 1 s into the run: the counter fell from 3.2 J to 0.1 J, restarting from zero") == true, "\(notes)")
        #expect(notes.first?.contains("bridged 0.1 s of package-0, 0.2 J, from its power before and after (2 W, 2 W)") == true, "\(notes)")
        #expect(
            measurement.notes.contains { $0.hasPrefix("bridged 0.1 s of package-0 (0.2 J, 4.76 % of the energy)") }, "\(measurement.notes)")
    }

    @Test func aZoneThatStopsAnsweringIsBridgedToTheEndFromItsPowerBefore() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "dram")
        let clock = FakeClock()
        let monitor = manualMonitor(machine.options(clock: clock))
        try monitor.start()
        try machine.setEnergy("intel-rapl:0", microjoules: 1_000_000)
        try machine.setEnergy("intel-rapl:0:0", microjoules: 400_000)
        clock.advance(seconds: 1)
        #expect(abs(monitor.reading().joules - 1.4) < 1e-9)
        try machine.removeZone("intel-rapl:0:0")
        try machine.setEnergy("intel-rapl:0", microjoules: 2_000_000)
        clock.advance(seconds: 1)
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(abs(measurement.joules - 2.8) < 1e-9, "the dram's 0.4 W carried over its last second")
        #expect(abs((measurement.meters.first { $0.zone == "dram-0" }?.joules ?? 0) - 0.8) < 1e-9)
        #expect(!measurement.resolved, "14 % of the energy is bridged")
        #expect(measurement.minimumJoules.map { abs($0 - 2.4) < 1e-9 } == true)
        #expect(measurement.maximumJoules.map { abs($0 - 2.8) < 1e-9 } == true, "the dram never drew more than 0.4 W")
        let notes = measurement.notes.filter { $0.hasPrefix("rapl dram-0:") }
        #expect(notes.count == 1, "\(measurement.notes)")
        #expect(
            notes.first?.contains("read failure 1 s into the run (No such file or directory (errno 2)); it never read again") == true,
            "\(notes)")
        #expect(notes.first?.contains("bridged 1 s of dram-0, 0.4 J, from its power before (0.4 W)") == true, "\(notes)")
    }

    @Test func permissionLostMidRunIsAReadFailureWithoutStartUpAdvice() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        let clock = FakeClock()
        var options = machine.options(clock: clock)
        let denials = LaterDenials()
        options.files.laterDenials = denials
        let monitor = manualMonitor(options, raplOnly: true)
        try monitor.start()
        // Counters are written before the clock moves, so a poll by the sampler thread in
        // between sees the energy at the earlier time, never a stretch without it.
        try machine.setEnergy("intel-rapl:0", microjoules: 3_000_000)
        clock.advance(seconds: 1)
        #expect(abs(monitor.reading().joules - 3) < 1e-9)
        denials.deny(machine.energyPath("intel-rapl:0"))  // e.g. a udev rule reverted mid-run
        try machine.setEnergy("intel-rapl:0", microjoules: 6_000_000)
        clock.advance(seconds: 1)
        #expect(abs(monitor.reading().joules - 3) < 1e-9)
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(measurement.provenance == .measured)
        #expect(abs(measurement.joules - 6) < 1e-9, "3 J, then 1 s bridged at the 3 W before")
        #expect(!measurement.resolved)
        let notes = measurement.notes.filter { $0.hasPrefix("rapl package-0:") }
        #expect(notes.count == 1, "\(measurement.notes)")
        #expect(notes.first?.contains("read failure 1 s into the run (Permission denied (errno 13))") == true, "\(notes)")
        #expect(!measurement.notes.contains { $0.contains("CVE-2020-8694") }, "start-up advice stays at start-up")
    }

    @Test func permissionDeniedFallsBackToTheEstimateNamingTheFileAndRemedies() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.writeCPUInfo(modelName: "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", processors: 4)
        try machine.writeProcStat(user: 100, idle: 100)
        try machine.writeMeminfo(totalKilobytes: 8_000_000, availableKilobytes: 4_000_000)
        var options = machine.options
        options.files.deniedPaths = [machine.energyPath("intel-rapl:0")]
        let monitor = manualMonitor(options)
        try monitor.start()
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(measurement.provenance == .estimated)
        #expect(measurement.meters.map(\.name) == ["estimate", "estimate"])
        #expect(measurement.estimateModel?.contains("0.3725 W/GB") == true)
        let reason = try #require(measurement.notes.first { $0.hasPrefix("rapl unavailable") })
        #expect(reason.contains("/sys/class/powercap/intel-rapl:0/energy_uj"))
        #expect(reason.contains("chmod a+r"))
        #expect(reason.contains("perf_event_paranoid"))
        // The agent is the remedy a cluster user can ask for; it comes first.
        let agent = try #require(reason.range(of: "`footprint agent`"), "\(reason)")
        let root = try #require(reason.range(of: "run as root"), "\(reason)")
        #expect(agent.lowerBound < root.lowerBound, "\(reason)")
        #expect(reason.contains("FOOTPRINT_AGENT_SOCKET"))
        #expect(measurement.notes.contains { $0.hasPrefix("perf unavailable") })
    }

    @Test func aDeniedSubZoneIsSkippedWithANoteWhileThePackageIsMeasured() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "dram")
        var options = machine.options
        options.files.deniedPaths = [machine.energyPath("intel-rapl:0:0")]
        let meter = try RaplMeter(options: options)
        #expect(meter.zones.map(\.label) == ["package-0"])
        #expect(meter.openingNotes.contains { $0.contains("intel-rapl:0:0/energy_uj") })
    }

    @Test func aMachineWithoutPowercapSaysWhy() throws {
        let machine = try FixtureMachine()
        #expect {
            _ = try RaplMeter(options: machine.options)
        } throws: { error in
            (error as? EnergyError)?.description.contains("no intel-rapl zone") == true
        }
    }
}
