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

    @Test func dropsTheIntervalWithAWarningWhenACounterWithoutRangeResets() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000, maxRangeMicrojoules: nil)
        try machine.addZone("intel-rapl:0:0", name: "dram", microjoules: 0, maxRangeMicrojoules: nil)
        let monitor = manualMonitor(machine.options, raplOnly: true)
        try monitor.start()
        try machine.setEnergy("intel-rapl:0", microjoules: 3_000_000)
        #expect(abs(monitor.cumulativeJoules() - 2) < 1e-9)
        try machine.setEnergy("intel-rapl:0", microjoules: 500_000)
        #expect(abs(monitor.cumulativeJoules() - 2) < 1e-9)
        try machine.setEnergy("intel-rapl:0", microjoules: 1_500_000)
        let measurement = monitor.stop(processCPUSeconds: nil)
        // The reset makes the counter untrusted from then on: the 1 J after it is not counted,
        // and with only rapl chosen nothing stands in for it (the note says so).
        #expect(abs(measurement.joules - 2) < 1e-9)
        #expect(measurement.provenance == .measured)
        #expect(measurement.notes.contains { $0.hasPrefix("rapl package-0:") && $0.contains("backwards") })
        #expect(measurement.notes.contains { $0.contains("counter reset") && $0.contains("energy is missing") })
    }

    @Test func keepsTheEnergyOfAZoneThatVanishesMidRunAndWarns() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "dram")
        let monitor = manualMonitor(machine.options)
        try monitor.start()
        try machine.setEnergy("intel-rapl:0", microjoules: 1_000_000)
        try machine.setEnergy("intel-rapl:0:0", microjoules: 400_000)
        #expect(abs(monitor.cumulativeJoules() - 1.4) < 1e-9)
        try machine.removeZone("intel-rapl:0:0")
        try machine.setEnergy("intel-rapl:0", microjoules: 2_000_000)
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(abs(measurement.joules - 2.4) < 1e-9)
        #expect(abs((measurement.meters.first { $0.zone == "dram-0" }?.joules ?? 0) - 0.4) < 1e-9)
        #expect(measurement.notes.contains { $0.hasPrefix("rapl dram-0:") && $0.contains("stopped answering") })
    }

    @Test func permissionLostMidRunKeepsTheEnergyMeasuredSoFarAndSaysWhy() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        var options = machine.options
        let denials = LaterDenials()
        options.files.laterDenials = denials
        let monitor = manualMonitor(options, raplOnly: true)
        try monitor.start()
        try machine.setEnergy("intel-rapl:0", microjoules: 3_000_000)
        #expect(abs(monitor.cumulativeJoules() - 3) < 1e-9)
        denials.deny(machine.energyPath("intel-rapl:0"))  // e.g. a udev rule reverted mid-run
        try machine.setEnergy("intel-rapl:0", microjoules: 5_000_000)
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(measurement.provenance == .measured)
        #expect(abs(measurement.joules - 3) < 1e-9)  // nothing invented after the loss
        #expect(measurement.notes.contains { $0.contains("stopped answering") && $0.contains("energy is missing") })
        #expect(measurement.notes.contains { $0.hasPrefix("rapl package-0:") }, "\(measurement.notes)")
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
