import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// The hwmon meter on fixture devices laid out as the kernel lays them out: Intel `xe`
/// (energy counters), `amdgpu` (power only), `amd_energy` (root-only CPU counters), and
/// devices Footprint does not add.
@Suite struct HwmonMeterTests {
    private func hwmonOnly(_ options: MeterOptions) -> MeterOptions {
        var options = options
        options.allowedMeters = [.hwmon]
        options.samplingIntervalSeconds = 30
        return options
    }

    private func openedMeters(_ options: MeterOptions) throws -> HwmonMeter.Opened {
        do {
            return try HwmonMeter.open(options: options)
        } catch {
            Issue.record("hwmon did not open: \(error.description)")
            throw error
        }
    }

    /// Real time: a writer thread drives xe's counters as the card would draw 30 W (its
    /// package 20 W, inside it); only the card counts.
    @Test func xeCardCounterMeasuresTheDrivenPowerWithinTwoPercent() throws {
        let machine = try FixtureMachine()
        let xe = try machine.addXeGPU()
        var options = machine.options
        options.allowedMeters = [.hwmon]
        options.samplingIntervalSeconds = 0.1
        let writer = HwmonEnergyWriter(
            machine: machine, counters: [(xe + "/energy1_input", 30), (xe + "/energy2_input", 20)])
        writer.start()
        defer { _ = writer.stop() }
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: 0.8)
        let zones = monitor.zoneJoules()
        let measurement = monitor.stop(processCPUSeconds: nil)
        let watts = measurement.joules / measurement.seconds
        #expect(abs(watts - 30) / 30 < 0.02, "measured \(watts) W over \(measurement.seconds) s, driven at 30 W")
        #expect(measurement.provenance == .measured)
        #expect(zones.map(\.zone) == ["xe card", "xe pkg"])
        #expect(zones.map(\.includedInTotal) == [true, false], "the card's counter holds the package's")
        #expect(zones.allSatisfy { $0.name == "hwmon" })
    }

    @Test func amdgpuAveragePowerIsSampledIntegratedAndNoted() throws {
        let machine = try FixtureMachine()
        try machine.addCoretemp()
        let amdgpu = try machine.addAMDGPU(card: 1, averageMicrowatts: 50_000_000, inputMicrowatts: 80_000_000)
        let clock = FakeClock()
        let opened = try openedMeters(hwmonOnly(machine.hwmonOptions(clock: clock)))
        let meter = try #require(opened.meters.first)
        #expect(opened.meters.count == 1 && meter.role == .devices)
        #expect(meter.zones.map(\.label) == ["amdgpu PPT"])
        #expect(meter.zones.first?.counter == amdgpu + "/power1_average (sampled power, integrated)", "the average wins over input")
        #expect(meter.zones.first?.deviceIndex == 0)
        #expect(meter.resolution == .hwmonPower)
        #expect(opened.notes.contains { $0.contains("amdgpu PPT has no energy counter") && $0.contains("sampled") })
        _ = meter.poll(atSeconds: clock.now())
        clock.advance(seconds: 2)
        _ = meter.poll(atSeconds: clock.now())
        #expect(abs(meter.includedJoules - 100) < 1e-9, "50 W for 2 s")
        try machine.write(amdgpu + "/power1_average", "70000000\n")
        clock.advance(seconds: 1)
        _ = meter.poll(atSeconds: clock.now())
        #expect(abs(meter.includedJoules - 160) < 1e-9, "trapezoid from 50 W to 70 W over 1 s adds 60 J")
        #expect((meter as? HwmonMeter)?.instantaneousWatts(zone: 0) == 70)
    }

    /// Newer kernels give some AMD GPUs `power1_input` alone; i915 has one unlabelled counter,
    /// named by its stem, whose 32-bit register bounds the poll interval.
    @Test func instantaneousPowerAndUnlabelledCountersAreReadToo() throws {
        let machine = try FixtureMachine()
        let amdgpu = try machine.addAMDGPU(averageMicrowatts: nil, inputMicrowatts: 30_000_000)
        try machine.addHwmonDevice(
            name: "i915", devicePath: "/sys/devices/pci0000:00/0000:00:02.0", files: ["energy1_input": "123456"], card: 0)
        var options = machine.options
        options.peakWattsPerZone = 1000
        let meter = try #require(try openedMeters(options).meters.first)
        #expect(meter.zones.map(\.label) == ["amdgpu PPT", "i915 energy1"])
        #expect(meter.zones.first?.counter == amdgpu + "/power1_input (sampled power, integrated)")
        #expect(meter.maximumPollIntervalSeconds == 131.072, "2^18 J at 1000 W, halved")
        #expect(meter.resolution.periodSeconds == 1 && meter.resolution.source.contains("hwmon energy"))
    }

    @Test func amdEnergySocketsCountAndCoresAreOnlyListed() throws {
        let machine = try FixtureMachine()
        let cpu = try machine.addAMDEnergy(cores: 4, sockets: 2)
        let opened = try openedMeters(machine.options)
        let meter = try #require(opened.meters.first)
        #expect(opened.meters.count == 1 && meter.role == .host)
        #expect(meter.zones.map(\.label) == ["amd_energy Esocket0", "amd_energy Esocket1"])
        #expect(meter.zones.allSatisfy { $0.includedInTotal })
        #expect(opened.notes.contains { $0.contains("4 core counters (Ecore000 … Ecore003)") && $0.contains("not read or added") })
        _ = meter.poll(atSeconds: 0)
        try machine.advanceHwmon(cpu + "/energy5_input", microjoules: 1_000_000)
        try machine.advanceHwmon(cpu + "/energy6_input", microjoules: 2_000_000)
        for core in 1...4 { try machine.advanceHwmon(cpu + "/energy\(core)_input", microjoules: 400_000) }
        _ = meter.poll(atSeconds: 1)
        #expect(abs(meter.includedJoules - 3) < 1e-9, "sockets only; the cores are inside them")
    }

    @Test func devicesFootprintDoesNotKnowAreListedNotAdded() throws {
        let machine = try FixtureMachine()
        try machine.addACPIPowerMeter()
        try machine.addHwmonDevice(
            name: "ina226", devicePath: "/sys/devices/platform/soc/i2c-1/1-0040", files: ["power1_input": "5000000"])
        #expect {
            _ = try HwmonMeter.open(options: machine.options)
        } throws: { error in
            guard case .meterUnavailable("hwmon", let reason)? = error as? EnergyError else { return false }
            return reason.contains("power_meter") && reason.contains("whole system") && reason.contains("ina226")
                && reason.contains("does not know what it measures")
        }
        try machine.addXeGPU()
        let opened = try openedMeters(machine.options)
        #expect(opened.meters.count == 1)
        #expect(opened.meters.first?.zones.map(\.label) == ["xe card", "xe pkg"])
        #expect(opened.notes.contains { $0.contains("power_meter") && $0.contains("listed, not added") })
    }

    @Test func aCounterThatDoesNotCountIsRefusedByTheProbe() throws {
        let machine = try FixtureMachine()
        let xe = try machine.addXeGPU(withCardChannel: false)
        let selection = MeterSelection.open(options: hwmonOnly(machine.frozenOptions))
        let candidate = try #require(selection.candidates.first { $0.kind == .hwmon })
        #expect(candidate.status == .refused)
        #expect(candidate.reason?.contains(xe + "/energy2_input is exposed but did not advance") == true)
        #expect(selection.meters.isEmpty)
    }

    @Test func aDeniedCounterMakesTheMeterUnavailableAndNamesTheAgent() throws {
        let machine = try FixtureMachine()
        let cpu = try machine.addAMDEnergy(cores: 2, sockets: 1)
        var options = machine.options
        options.files.deniedPaths = [cpu + "/energy3_input"]
        #expect {
            _ = try HwmonMeter.open(options: options)
        } throws: { error in
            guard case .meterUnavailable("hwmon", let reason)? = error as? EnergyError else { return false }
            return reason.contains("permission denied reading \(cpu)/energy3_input") && reason.contains("CVE-2020-12912")
                && reason.contains("`footprint agent`") && reason.contains(options.agentSocketPath)
        }
        // Beside a readable GPU, the CPU is skipped with the same reason and the GPU counts.
        try machine.addXeGPU()
        let opened = try openedMeters(options)
        #expect(opened.meters.map(\.role) == [.devices])
        #expect(opened.notes.contains { $0.contains("amd_energy Esocket0 skipped") && $0.contains("Permission denied") })
    }

    @Test func amdgpuZonesLeaveTheTotalWhenAMDSMIMeasures() throws {
        let machine = try FixtureMachine()
        try machine.addXeGPU()
        try machine.addAMDGPU()
        let meter = try #require(try openedMeters(machine.options).meters.first)
        #expect(meter.zones.map(\.label) == ["xe card", "xe pkg", "amdgpu PPT"])
        #expect(meter.yieldZones(coveredBy: [.nvml, .rapl]).isEmpty)
        #expect(meter.zones.map(\.includedInTotal) == [true, false, true])
        let notes = meter.yieldZones(coveredBy: [.rapl, .amdsmi])
        #expect(notes == ["hwmon: amdgpu PPT left out of the total: AMD SMI measures the same GPUs"])
        #expect(meter.zones.map(\.includedInTotal) == [true, false, false], "xe stays")
    }

    @Test func visibleAMDGPUsSelectCardsByTheirRankNotTheirDRMNumber() throws {
        let machine = try FixtureMachine()
        try machine.addAMDGPU(card: 1, pciBus: 12)
        try machine.addAMDGPU(card: 2, pciBus: 13)
        var options = machine.options
        options.visibleAMDGPUs = [1]
        let opened = try openedMeters(options)
        let zones = try #require(opened.meters.first?.zones)
        #expect(zones.map(\.label) == ["amdgpu card2 PPT"])
        #expect(zones.map(\.deviceIndex) == [1])
        #expect(opened.notes.contains { $0.contains("amdgpu card1 (AMD GPU 0) skipped") })
    }

    @Test func aDevicesOnlyRankLeavesIntelGPUsToTheFirstRank() throws {
        let machine = try FixtureMachine()
        try machine.addXeGPU()
        try machine.addAMDGPU()
        var options = machine.options
        options.devicesOnly = true
        let opened = try openedMeters(options)
        #expect(opened.meters.first?.zones.map(\.label) == ["amdgpu PPT"])
        #expect(opened.notes.contains { $0.contains("xe skipped on this rank") && $0.contains("ZE_AFFINITY_MASK") })
    }

    /// Through the chain and the monitor: host (amd_energy) and devices (xe, amdgpu) meters
    /// from one candidate, their zones in the live figures and the total.
    @Test func theMonitorCountsHwmonHostAndDeviceZones() throws {
        let machine = try FixtureMachine()
        let xe = try machine.addXeGPU()
        try machine.addAMDGPU(averageMicrowatts: 50_000_000)
        let cpu = try machine.addAMDEnergy(cores: 2, sockets: 1)
        try machine.addACPIPowerMeter()
        let clock = FakeClock()
        let options = hwmonOnly(machine.hwmonOptions(clock: clock))
        let selection = MeterSelection.open(options: options)
        #expect(selection.candidates.first { $0.kind == .hwmon }?.status == .used)
        #expect(selection.meters.map(\.role) == [.host, .devices])
        selection.meters.forEach { $0.close() }

        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        clock.advance(seconds: 2)
        try machine.advanceHwmon(xe + "/energy1_input", microjoules: 60_000_000)
        try machine.advanceHwmon(xe + "/energy2_input", microjoules: 40_000_000)
        try machine.advanceHwmon(cpu + "/energy3_input", microjoules: 90_000_000)
        let reading = monitor.reading()
        let zones = Dictionary(uniqueKeysWithValues: monitor.zoneJoules().map { ($0.zone, $0) })
        #expect(Set(zones.keys) == ["amd_energy Esocket0", "xe card", "xe pkg", "amdgpu PPT"])
        #expect(abs((zones["xe card"]?.joules ?? 0) - 60) < 1e-9)
        #expect(abs((zones["amdgpu PPT"]?.joules ?? 0) - 100) < 1e-9)
        #expect(zones["xe pkg"]?.includedInTotal == false)
        #expect(abs(reading.joules - 250) < 1e-9, "60 J card + 100 J amdgpu + 90 J socket")
        let measurement = monitor.stop(processCPUSeconds: nil)
        #expect(abs(measurement.joules - 250) < 1e-9)
        #expect(measurement.notes.contains { $0.contains("power_meter") })
    }

    @Test func theHwmonRootComesFromTheEnvironment() throws {
        let machine = try FixtureMachine()
        try machine.addXeGPU()
        var elsewhere = MeterOptions.fromEnvironment(["FOOTPRINT_HWMON_ROOT": "/sys/class/hwmon-elsewhere"])
        elsewhere.systemRoot = machine.root
        #expect(elsewhere.hwmonRoot == "/sys/class/hwmon-elsewhere")
        #expect(
            throws: EnergyError.meterUnavailable(
                meter: "hwmon", reason: "no hwmon device with an energy or power file under /sys/class/hwmon-elsewhere")
        ) {
            _ = try HwmonMeter.open(options: elsewhere)
        }
        var here = MeterOptions.fromEnvironment(["FOOTPRINT_HWMON_ROOT": "/sys/class/hwmon"])
        here.systemRoot = machine.root
        #expect(try HwmonMeter.open(options: here).meters.count == 1)
    }

    @Test func theSurveyReadsOnlyChannelFilesAndTheCardNumber() throws {
        let machine = try FixtureMachine()
        try machine.addCoretemp()
        try machine.addXeGPU(card: 3)
        let devices = HwmonSurvey.devices(files: machine.options.files, root: "/sys/class/hwmon")
        #expect(devices.map(\.name) == ["coretemp", "xe"])
        let xe = try #require(devices.last)
        #expect(xe.card == 3)
        #expect(xe.energyChannels.map(\.stem) == ["energy1", "energy2"])
        #expect(xe.energyChannels.map(\.label) == ["card", "pkg"])
        #expect(xe.powerChannels.isEmpty, "power1_max and power2_rated_max are limits, not readings")
        #expect(HwmonSurvey.channelNumber("power1_average_interval", prefix: "power", suffix: "_average") == nil)
        #expect(HwmonSurvey.channelNumber("power12_average", prefix: "power", suffix: "_average") == 12)
    }
}
