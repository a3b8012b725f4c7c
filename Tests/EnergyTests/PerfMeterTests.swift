import FootprintTestKit
import Testing

@testable import Energy

@Suite struct PerfMeterTests {
    private static let scale = "2.3283064365386962890625e-10"

    private func serverPMU(_ machine: FixtureMachine, cpumask: String? = "0,36") throws {
        try machine.writePowerPMU(
            type: 9, cpumask: cpumask,
            events: [
                ("energy-pkg", "event=0x02", Self.scale, "Joules"),
                ("energy-ram", "event=0x03", Self.scale, "Joules"),
                ("energy-cores", "event=0x01", Self.scale, "Joules"),
                ("energy-bogus", "event=0x09", "1", "Kelvins"),
            ])
    }

    @Test func parsesTypeEventsScaleAndCPUsFromSysfs() throws {
        let machine = try FixtureMachine()
        try serverPMU(machine)
        let pmu = try PerfPowerPMU.read(files: machine.options.files)
        #expect(pmu.type == 9)
        #expect(pmu.cpus == [0, 36])
        #expect(pmu.events.map(\.name) == ["energy-cores", "energy-pkg", "energy-ram"])
        #expect(pmu.events.first { $0.name == "energy-pkg" }?.config == 0x02)
        #expect(pmu.events.first?.joulesPerCount == 2.3283064365386962890625e-10)
        #expect(pmu.skipped.contains { $0.contains("Kelvins") })
    }

    @Test func fallsBackToTheFirstCPUOfEachPackageWithoutCpumask() throws {
        let machine = try FixtureMachine()
        try serverPMU(machine, cpumask: nil)
        try machine.writeCPUTopology(packageOfCPU: [0, 0, 1, 1])
        #expect(try PerfPowerPMU.read(files: machine.options.files).cpus == [0, 2])
    }

    @Test func rejectsMalformedEventDescriptions() throws {
        #expect(throws: EnergyError.self) { try PerfPowerPMU.parseConfig("event=zz", path: "p") }
        #expect(throws: EnergyError.self) { try PerfPowerPMU.parseConfig("umask=0x1", path: "p") }
        #expect(throws: EnergyError.self) { try PerfPowerPMU.parseConfig("period=3,event=1", path: "p") }
        #expect(try PerfPowerPMU.parseConfig("event=0x02,umask=0x01", path: "p") == 0x0102)
        #expect(PerfPowerPMU.parseCPUList("0-3,8") == [0, 1, 2, 3, 8])
        #expect(PerfPowerPMU.parseCPUList("3-1") == nil)
    }

    @Test func aPMUWithoutEventsAsInThisVMIsUnavailableWithTheReason() throws {
        let machine = try FixtureMachine()
        try machine.writePowerPMU(type: 9, cpumask: "0", events: [])
        #expect {
            _ = try PerfMeter(options: machine.options)
        } throws: { error in
            (error as? EnergyError)?.description.contains("no usable energy event") == true
        }
    }

    @Test func theRealSyscallFailsCleanlyWhenTheEventDoesNotExist() {
        // Config 0xff on PMU type 0x7fffffff exists nowhere: the shim must return an errno, not crash.
        let opened = PerfCounterSource.system.open(0x7fff_ffff, 0xff, 0)
        #expect(opened.fd == -1)
        #expect(opened.errorNumber != 0)
    }

    @Test func readsScaledCountsPerPackageThroughTheCounterSource() throws {
        let machine = try FixtureMachine()
        try serverPMU(machine)
        try machine.writeCPUTopology(packageOfCPU: Array(repeating: 0, count: 36) + Array(repeating: 1, count: 36))
        let counts = Locked<[Int32: UInt64]>([:])
        var options = machine.options
        options.perfCounters = PerfCounterSource(
            open: { _, config, cpu in (Int32(cpu * 16 + Int(config)), 0) },
            read: { fd in counts.withLock { $0[fd, default: 0] } },
            close: { _ in })
        let meter = try PerfMeter(options: options)
        #expect(meter.zones.filter(\.includedInTotal).map(\.label).sorted() == ["dram-0", "dram-1", "package-0", "package-1"])
        _ = meter.poll(atSeconds: 0)
        let oneJoule = UInt64(1 / 2.3283064365386962890625e-10)  // 2^32 counts
        counts.withLock {
            $0[2] = oneJoule; $0[36 * 16 + 2] = 2 * oneJoule; $0[3] = oneJoule
        }
        _ = meter.poll(atSeconds: 1)
        #expect(abs(meter.includedJoules - 4) < 1e-9)
    }

    @Test func refusedEventsGiveTheParanoidLevelAndRemedy() throws {
        let machine = try FixtureMachine()
        try serverPMU(machine)
        try machine.write("/proc/sys/kernel/perf_event_paranoid", "2\n")
        var options = machine.options
        options.perfCounters = PerfCounterSource(open: { _, _, _ in (-1, 13) }, read: { _ in nil }, close: { _ in })
        #expect {
            _ = try PerfMeter(options: options)
        } throws: { error in
            let text = (error as? EnergyError)?.description ?? ""
            return text.contains("perf_event_paranoid is 2") && text.contains("CAP_PERFMON")
        }
    }

    @Test func aStillPsysEventAskedForGivesWayToThePackageEventThatCounts() throws {
        let machine = try FixtureMachine()
        try machine.writePowerPMU(
            type: 9, cpumask: "0",
            events: [("energy-pkg", "event=0x02", Self.scale, "Joules"), ("energy-psys", "event=0x05", Self.scale, "Joules")])
        try machine.writeCPUTopology(packageOfCPU: [0, 0])
        let reads = Locked(0)
        var options = machine.frozenOptions
        options.preferPsys = true
        options.allowedMeters = [.perf]
        // The package event counts 1 J per read; psys (config 5) stays at zero.
        options.perfCounters = PerfCounterSource(
            open: { _, config, _ in (Int32(config), 0) },
            read: { fd in
                fd == 5
                    ? 0
                    : reads.withLock {
                        $0 += 1; return UInt64($0) << 32
                    }
            },
            close: { _ in })
        let selection = MeterSelection.open(options: options)
        #expect(selection.candidates.first { $0.kind == .perf }?.status == .used, "\(selection.candidates)")
        let perf = try #require(selection.meters.first { $0.kind == .perf })
        #expect(perf.zones.filter(\.includedInTotal).map(\.label) == ["package-0"])
        #expect(selection.notes.contains { $0.hasPrefix("perf: psys") && $0.contains("package-0 instead") }, "\(selection.notes)")
    }
}
