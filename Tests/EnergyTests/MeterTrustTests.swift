import FootprintTestKit
import Foundation
import Synchronization
import Testing

@testable import Energy
import Vocabulary

/// A meter is trusted only once its counter is seen to move, and stops being trusted when it
/// freezes during a run; a counter that jumps loses only that interval (fixture trees standing
/// for VMs and broken counters).
@Suite struct MeterTrustTests {
    /// A fixture machine with one package zone, /proc files for the estimate, and a fake
    /// process CPU clock the test advances.
    /// A number several closures read and the test advances.
    final class Dial: Sendable {
        let value: Mutex<Double>
        init(_ start: Double) { value = Mutex(start) }
        func read() -> Double { value.withLock { $0 } }
        func add(_ amount: Double) { value.withLock { $0 += amount } }
    }

    private struct Rig {
        let machine: FixtureMachine
        let cpu = Dial(0)
        let now = Dial(100)
        var options: MeterOptions

        init(frozen: Bool = false) throws {
            machine = try FixtureMachine()
            try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
            try machine.addZone("intel-rapl:0:0", name: "dram", microjoules: 500_000)
            try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
            try machine.writeProcStat(user: 1000, idle: 1000)
            try machine.writeMeminfo(totalKilobytes: 8_388_608, availableKilobytes: 4_194_304)
            options = frozen ? machine.frozenOptions : machine.options
            options.disabledMeters = ["nvml"]
            options.samplingIntervalSeconds = 3600
            let (cpu, now) = (self.cpu, self.now)
            options.processCPUSeconds = { cpu.read() }
            options.clock = { now.read() }
        }

        /// Advances the fake clock by `seconds`, of which `busy` are CPU time of the tree.
        func advance(_ seconds: Double, busy: Double) {
            now.add(seconds)
            cpu.add(busy)
        }
    }

    @Test func aCounterFrozenFromTheStartIsRefusedAndTheEstimateIsUsed() throws {
        let rig = try Rig(frozen: true)
        let monitor = EnergyMonitor(options: rig.options)
        try monitor.start()
        let rapl = try #require(monitor.candidates().candidates.first { $0.kind == .rapl })
        #expect(rapl.status == .refused)
        #expect(rapl.reason?.contains("/sys/class/powercap/intel-rapl:0/energy_uj is exposed but did not advance") == true)
        #expect(rapl.reason?.contains("virtual machines often expose counters that never count") == true)
        rig.advance(2, busy: 2)
        let measurement = monitor.stop(processCPUSeconds: 2)
        #expect(measurement.provenance == .estimated)
        #expect(measurement.joules > 0)
        #expect(measurement.notes.contains { $0.hasPrefix("rapl refused:") })
    }

    @Test func aPMUEventWhoseCountStaysZeroIsRefused() throws {
        let machine = try FixtureMachine()
        try machine.writePowerPMU(type: 9, cpumask: "0", events: [("energy-psys", "event=0x05", "2.3283064365386962890625e-10", "Joules")])
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        try machine.writeProcStat(user: 1000, idle: 1000)
        var options = machine.options
        options.disabledMeters = ["nvml"]
        options.perfCounters = PerfCounterSource(open: { _, _, cpu in (Int32(cpu + 3), 0) }, read: { _ in 0 }, close: { _ in })
        let selection = MeterSelection.open(options: options)
        let perf = try #require(selection.candidates.first { $0.kind == .perf })
        #expect(perf.status == .refused)
        #expect(perf.reason?.hasPrefix("power/energy-psys/ on CPU 0 is exposed but did not advance during a 1") == true)
        #expect(selection.meters.map(\.name) == ["estimate"])
        #expect(selection.cpuMeterIndex == nil)
        #expect(selection.probeSeconds.map { $0 < 0.15 } == true)
    }

    @Test func aCounterThatImpliesImpossiblePowerDuringTheProbeIsRefused() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000)
        var options = machine.options
        options.disabledMeters = ["nvml"]
        // 1 MJ during a 0.1 s probe: 10 MW.
        let counter = machine.root + machine.zoneDirectory("intel-rapl:0") + "/energy_uj"
        options.probeWork = { _ in try? Data("1000000000000\n".utf8).write(to: URL(fileURLWithPath: counter)) }
        let selection = MeterSelection.open(options: options)
        let rapl = try #require(selection.candidates.first { $0.kind == .rapl })
        #expect(rapl.status == .refused)
        #expect(rapl.reason?.contains("more than any zone can draw") == true)
    }

    @Test func aCounterThatStopsMidRunIsDistrustedAndTheRestEstimated() throws {
        let rig = try Rig()
        let monitor = EnergyMonitor(options: rig.options)
        try monitor.start()
        #expect(monitor.provenanceSoFar() == .measured)
        // One second counting at 10 W (+ 2 W dram) while the tree is busy.
        rig.advance(1, busy: 1)
        try rig.machine.setEnergy("intel-rapl:0", microjoules: 1_000_000 + 10_000_000)
        try rig.machine.setEnergy("intel-rapl:0:0", microjoules: 500_000 + 2_000_000)
        _ = monitor.reading()
        // Then frozen for 3 s while the tree keeps a CPU busy: the watchdog steps in.
        for _ in 0..<6 {
            rig.advance(0.5, busy: 0.5)
            _ = monitor.reading()
        }
        #expect(monitor.provenanceSoFar() == .mixed)
        rig.advance(1, busy: 1)
        let measurement = monitor.stop(processCPUSeconds: 5)
        #expect(measurement.provenance == .mixed)
        let package = try #require(measurement.meters.first { $0.name == "rapl" && $0.zone == "package-0" })
        #expect(abs(package.joules - 10) < 1e-6, "the energy measured before the counter froze is kept")
        let standIn = try #require(measurement.meters.first { $0.name == "estimate" && $0.zone.hasPrefix("cpu (from") })
        #expect(standIn.includedInTotal && standIn.joules > 0)
        #expect(
            measurement.meters.contains { $0.name == "estimate" && $0.zone.hasPrefix("memory (from") && $0.includedInTotal },
            "dram was measured, so the memory estimate stands in for it too")
        let included = measurement.meters.filter(\.includedInTotal).map(\.joules).reduce(0, +)
        #expect(abs(measurement.joules - included) < 1e-9)
        #expect(measurement.notes.contains { $0.contains("stayed flat") && $0.contains("CPU and memory energy is estimated") })
    }

    @Test func aFlatCounterOnAnIdleTreeIsNotDistrusted() throws {
        let rig = try Rig()
        let monitor = EnergyMonitor(options: rig.options)
        try monitor.start()
        for _ in 0..<8 {
            rig.advance(0.5, busy: 0)
            _ = monitor.reading()
        }
        #expect(monitor.provenanceSoFar() == .measured)
        _ = monitor.stop(processCPUSeconds: 0)
    }

    @Test func aCounterThatJumpsLosesOnlyThatInterval() throws {
        let rig = try Rig()
        let monitor = EnergyMonitor(options: rig.options)
        try monitor.start()
        rig.advance(1, busy: 1)
        try rig.machine.setEnergy("intel-rapl:0", microjoules: 1_000_000 + 20_000_000)
        try rig.machine.setEnergy("intel-rapl:0:0", microjoules: 500_000 + 2_000_000)
        _ = monitor.reading()
        rig.advance(0.1, busy: 0.1)
        // 200 kJ in 0.1 s: a glitch, not energy.
        try rig.machine.setEnergy("intel-rapl:0", microjoules: 200_000_000_000)
        _ = monitor.reading()
        rig.advance(1, busy: 1)
        try rig.machine.setEnergy("intel-rapl:0", microjoules: 200_000_000_000 + 20_000_000)
        try rig.machine.setEnergy("intel-rapl:0:0", microjoules: 500_000 + 4_200_000)
        let measurement = monitor.stop(processCPUSeconds: 2.1)
        #expect(measurement.provenance == .measured, "the meter stays trusted: only one interval was lost")
        let package = try #require(measurement.meters.first { $0.zone == "package-0" })
        #expect(abs(package.joules - 42) < 1e-3, "20 J, 2 J bridged over 0.1 s at 20 W, 20 J")
        let dram = try #require(measurement.meters.first { $0.zone == "dram-0" })
        #expect(abs(dram.joules - 4.2) < 1e-6, "the dram is untouched")
        let notes = measurement.notes.filter { $0.hasPrefix("rapl package-0:") }
        #expect(notes.count == 1, "\(measurement.notes)")
        #expect(
            notes.first?.contains("glitch 1 s into the run: the counter jumped 199979 J in 0.1 s, 2e+06 W, more than any zone can draw")
                == true, "\(notes)")
        #expect(!measurement.notes.contains { $0.contains("estimated") || $0.contains("missing") }, "\(measurement.notes)")
    }

    @Test func aMeasuredRunWithCPUTimeIsNeverStoredAsZeroJoules() throws {
        let rig = try Rig()
        let monitor = EnergyMonitor(options: rig.options)
        try monitor.start()
        rig.advance(0.2, busy: 0.2)  // shorter than the watchdog's limit
        let measurement = monitor.stop(processCPUSeconds: 0.2)
        #expect(measurement.joules > 0)
        #expect(measurement.provenance == .estimated)
        #expect(measurement.notes.contains { $0.contains("0 J is not a measurement") })
    }

    @Test func theChosenMetersRestrictTheChain() throws {
        var rig = try Rig()
        rig.options.allowedMeters = [.estimate]
        let selection = MeterSelection.open(options: rig.options)
        #expect(selection.meters.map(\.name) == ["estimate"])
        #expect(selection.candidates.first { $0.kind == .rapl }?.status == .notSelected)
        #expect(selection.probeSeconds == nil)
        #expect(throws: EnergyError.self) { try MeterKind.parseList("rapl,gpu", origin: "--meter") }
        #expect((try? MeterKind.parseList(" rapl , estimate", origin: "x")) == [.rapl, .estimate])
        let error = try? MeterOptions.meterChoice(from: ["FOOTPRINT_METERS": "rapl,nvidia"])
        #expect(error == nil)
        do {
            _ = try MeterOptions.meterChoice(from: ["FOOTPRINT_METERS": "rapl,nvidia"])
        } catch {
            #expect(error.description.contains("agent, rapl, perf, nvml, amdsmi, hwmon, estimate"))
        }
    }

    @Test func resolutionMarksFiguresUnderTenStepsOrPeriods() {
        #expect(!EnergyResolution.rapl.resolves(joules: 1, seconds: 0.005))
        #expect(EnergyResolution.rapl.resolves(joules: 1, seconds: 0.02))
        #expect(!EnergyResolution.rapl.resolves(joules: 0.0005, seconds: 1))
        let estimate = EnergyResolution.estimate(ticksPerSecond: 100)
        #expect(!estimate.resolves(joules: 0.02, seconds: 0.004), "a 4 ms run is below a 10 ms tick's resolution")
        #expect(estimate.resolves(joules: 0.5, seconds: 0.1))
        #expect(!estimate.resolves(joules: 0, seconds: 10))
    }
}

extension MeterTrustTests {
    @Test func chosenMetersThatCannotMeasureSaySoAndPointToTheDoctor() throws {
        let machine = try FixtureMachine()  // no powercap zone
        var options = machine.options
        options.allowedMeters = [.rapl]
        let monitor = EnergyMonitor(options: options)
        #expect {
            try monitor.start()
        } throws: { error in
            let text = (error as? EnergyError)?.description ?? ""
            return text.hasPrefix("None of the chosen meters (rapl) can measure here: rapl unavailable")
                && text.contains("footprint meters") && !text.contains("..") && !text.contains("not even the estimate")
        }
    }
}
