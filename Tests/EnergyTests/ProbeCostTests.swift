import Foundation
import FootprintTestKit
import Synchronization
import Testing

@testable import Energy

/// What the meters' start-up and the sampler cost: a run opens only the meters it could use,
/// the probe stops working once every counter has counted, and the sampler keeps its own bill.
@Suite struct ProbeCostTests {
    /// A perf source whose counters count on every read, and which counts how often it was opened.
    private final class CountingPerf: Sendable {
        let opens = Atomic<Int>(0)
        let reads = Atomic<UInt64>(0)

        var source: PerfCounterSource {
            PerfCounterSource(
                open: { [self] _, _, cpu in
                    opens.add(1, ordering: .relaxed)
                    return (Int32(cpu + 3), 0)
                },
                // About 0.23 mJ more at every read: a live package counter.
                read: { [self] _ in reads.add(1_000_000, ordering: .relaxed).newValue },
                close: { _ in })
        }
    }

    private func machineWithRAPLAndPerf() throws -> FixtureMachine {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000)
        try machine.writePowerPMU(
            type: 9, cpumask: "0", events: [("energy-pkg", "event=0x02", "2.3283064365386962890625e-10", "Joules")])
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        try machine.writeProcStat(user: 1000, idle: 1000)
        return machine
    }

    @Test func aRunOnAMachineWhoseRAPLCountsNeverOpensPerf() throws {
        let machine = try machineWithRAPLAndPerf()
        let perf = CountingPerf()
        var options = machine.options
        options.disabledMeters = ["nvml"]
        options.perfCounters = perf.source
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        let candidates = monitor.candidates().candidates
        _ = monitor.stop(processCPUSeconds: nil)
        #expect(perf.opens.load(ordering: .relaxed) == 0, "perf reads the counters RAPL already reads")
        #expect(candidates.map(\.kind) == [.agent, .rapl, .perf, .nvml, .amdsmi, .hwmon, .estimate], "catalogue order")
        #expect(candidates.first { $0.kind == .rapl }?.status == .used)
        let perfCandidate = try #require(candidates.first { $0.kind == .perf })
        #expect(perfCandidate.status == .notNeeded)
        #expect(perfCandidate.reason == "not opened: rapl already measures the same counters")
    }

    @Test func aRunOnAMachineWhoseRAPLIsFrozenFallsBackToPerf() throws {
        let machine = try machineWithRAPLAndPerf()
        let perf = CountingPerf()
        var options = machine.frozenOptions
        options.disabledMeters = ["nvml"]
        options.perfCounters = perf.source
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        let (candidates, _) = monitor.candidates()
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(perf.opens.load(ordering: .relaxed) > 0)
        #expect(candidates.first { $0.kind == .rapl }?.status == .refused)
        #expect(candidates.first { $0.kind == .perf }?.status == .used)
        #expect(measurement.provenance == .measured)
        #expect(measurement.meters.filter(\.includedInTotal).map(\.name) == ["perf"])
        // The refusal is noted as when every meter was probed at once.
        #expect(measurement.notes.contains { $0.hasPrefix("rapl refused:") })
    }

    @Test func footprintMetersStillProbesPerfBesideACountingRAPL() throws {
        let machine = try machineWithRAPLAndPerf()
        let perf = CountingPerf()
        var options = machine.options
        options.disabledMeters = ["nvml"]
        options.perfCounters = perf.source
        let selection = MeterSelection.open(options: options)
        #expect(perf.opens.load(ordering: .relaxed) > 0)
        #expect(selection.candidates.first { $0.kind == .perf }?.status == .standby)
        #expect(selection.meters.map(\.name) == ["rapl", "estimate"])
        for meter in selection.meters { meter.close() }
    }

    @Test func theProbeEndsAfterOneSliceWhenEveryCounterCounts() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000)
        try machine.addZone("intel-rapl:0:0", name: "dram", microjoules: 1_000)
        let clock = FakeClock()
        var options = machine.options(clock: clock)
        options.probeEndsEarly = true
        options.disabledMeters = ["nvml", "perf"]
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        #expect(selection.cpuMeterIndex == 0)
        #expect(selection.probeSeconds.map { abs($0 - MeterProbe.sliceSeconds) < 1e-9 } == true)
        for meter in selection.meters { meter.close() }
    }

    @Test func aFlatCounterIsStillWatchedForTheWholeProbe() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000)
        try machine.addZone("intel-rapl:0:0", name: "dram", microjoules: 1_000)
        let clock = FakeClock()
        var options = machine.options(clock: clock)
        options.probeEndsEarly = true
        options.disabledMeters = ["nvml", "perf"]
        // The package counts, the dram never does: the probe works out its whole length.
        let package = machine.root + machine.zoneDirectory("intel-rapl:0") + "/energy_uj"
        let reads = Atomic<UInt64>(1_000)
        options.probeWork = { seconds in
            clock.advance(seconds: seconds)
            let value = reads.add(50_000, ordering: .relaxed).newValue
            try? Data("\(value)\n".utf8).write(to: URL(fileURLWithPath: package), options: .atomic)
        }
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        #expect(selection.probeSeconds.map { abs($0 - options.probeSeconds) < 1e-9 } == true)
        let rapl = try #require(selection.candidates.first { $0.kind == .rapl })
        #expect(rapl.status == .refused)
        #expect(rapl.reason?.contains("did not advance during a 100 ms busy probe") == true)
        for meter in selection.meters { meter.close() }
    }

    @Test func theSamplerRecordsItsSamplesAndItsOwnCPUTime() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000)
        var options = machine.options
        options.disabledMeters = ["nvml"]
        options.samplingIntervalSeconds = 0.02
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: 0.2)
        let running = monitor.samplerCost.reading
        let measurement = monitor.stop(processCPUSeconds: nil)
        let stopped = monitor.samplerCost.reading
        // Every 10 ms at first, then every 20 ms: about 15 samples in 0.2 s on an idle machine.
        #expect(running.rounds >= 3)
        #expect(stopped.rounds >= running.rounds)
        #expect(stopped.cpuSeconds > 0)
        #expect(stopped.cpuSeconds < measurement.seconds, "one thread cannot use more CPU than the time it ran")
    }

    @Test func memoryInUseIsReadWhateverOrderTheFieldsComeIn() throws {
        let text = "MemFree: 10 kB\nMemAvailable:    1024 kB\nBuffers: 3 kB\nMemTotal:       4096 kB\n"
        #expect(try MemInfo.usedBytes(text) == 3072 * 1024)
        #expect(throws: EnergyError.self) { try MemInfo.usedBytes("MemTotal: 4096 kB\nMemFree: 10 kB\n") }
        #expect(throws: EnergyError.self) { try MemInfo.usedBytes("MemTotal: many kB\nMemAvailable: 1 kB\n") }
    }

    @Test func machineTimesAreReadFromTheAggregateLineWhereverItIs() throws {
        let first = try ProcStatTimes.parse("cpu  10 1 5 100 4 2 3 7 0 0\ncpu0 5 0 2 50 2 1 1 3 0 0\n")
        let later = try ProcStatTimes.parse("intr 1 2 3\ncpu0 5 0 2 50 2 1 1 3 0 0\ncpu  10 1 5 100 4 2 3 7 0 0\n")
        #expect(first == later)
        #expect(first.busyTicks == 21)
        #expect(first.totalTicks == 132)
    }
}
