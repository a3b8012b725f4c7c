import FootprintTestKit
import Testing

@testable import Energy

@Suite struct EstimateMeterTests {
    private func machine(model: String, processors: Int, family: Int = 6, modelNumber: Int = 106) throws -> FixtureMachine {
        let machine = try FixtureMachine()
        try machine.writeCPUInfo(modelName: model, processors: processors, family: family, model: modelNumber)
        try machine.writeProcStat(user: 1000, idle: 1000)
        try machine.writeMeminfo(totalKilobytes: 8_388_608, availableKilobytes: 4_194_304)
        return machine
    }

    @Test func cpuAndMemoryEnergyFollowTheModelAndItsConstants() throws {
        let machine = try machine(model: "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", processors: 4)
        let meter = EstimateMeter(options: machine.options, estimateCPU: true, memoryIncluded: true)
        // 270 W TDP / 80 threads × 4 visible threads = 13.5 W at full load.
        #expect(meter.cpuFullLoadWatts == 13.5)
        _ = meter.poll(atSeconds: 0)
        // 10 s on 4 CPUs at 100 ticks/s is 4,000 ticks; 1,200 of them busy: load 0.3; 4 GiB in use.
        try machine.writeProcStat(user: 2200, idle: 3800)
        _ = meter.poll(atSeconds: 10)
        let cpu = try #require(meter.zones.first { $0.label == "cpu" })
        let memory = try #require(meter.zones.first { $0.label == "memory" })
        #expect(abs(cpu.joules - 10 * 13.5 * (0.1 + 0.9 * 0.3)) < 1e-9)
        #expect(abs(memory.joules - 10 * 4 * 0.3725) < 1e-9)
        let model = try #require(meter.modelDescription)
        #expect(model.contains("13.5 W × (0.1 + 0.9 × load)"))
        #expect(model.contains("TDP 270 W / 80 threads × 4 visible"))
        #expect(model.contains("0.3725 W/GB"))
    }

    @Test func aSmallVMIsChargedItsThreadsNotTheWholeSocket() throws {
        let machine = try machine(model: "AMD EPYC 7543 32-Core Processor", processors: 2, family: 25, modelNumber: 1)
        let meter = EstimateMeter(options: machine.options, estimateCPU: true, memoryIncluded: true)
        #expect(abs((meter.cpuFullLoadWatts ?? 0) - 225.0 / 64 * 2) < 1e-9)
    }

    @Test func aMaskedCloudModelNameFallsBackToTheMicroarchitecture() throws {
        let machine = try machine(model: "Intel(R) Xeon(R) Processor @ 2.80GHz", processors: 2)
        let meter = EstimateMeter(options: machine.options, estimateCPU: true, memoryIncluded: true)
        #expect(meter.cpuFullLoadWatts == 270.0 / 80 * 2)
        #expect(meter.modelDescription?.contains("Ice Lake-SP") == true)
    }

    @Test func anUnknownCPUGetsFourWattsPerThreadAndCPUWattsOverridesAll() throws {
        let unknown = try machine(model: "Imaginary CPU 9000", processors: 3, family: 99, modelNumber: 1)
        let meter = EstimateMeter(options: unknown.options, estimateCPU: true, memoryIncluded: true)
        #expect(meter.cpuFullLoadWatts == 12)
        #expect(meter.modelDescription?.contains("CodeCarbon") == true)
        var options = unknown.options
        options.cpuWatts = 42
        #expect(EstimateMeter(options: options, estimateCPU: true, memoryIncluded: true).cpuFullLoadWatts == 42)
    }

    @Test func procParsersRejectMalformedInput() throws {
        #expect(throws: EnergyError.self) { try ProcStatTimes.parse("intr 1 2 3") }
        #expect(throws: EnergyError.self) { try ProcStatTimes.parse("cpu  1 2") }
        #expect(throws: EnergyError.self) { try MemInfo.usedBytes("MemTotal: 10 kB") }
        // user nice system idle iowait irq softirq steal: steal counts as time, not work.
        let times = try ProcStatTimes.parse("cpu  10 1 5 100 4 2 3 7 0 0\n")
        #expect(times.busyTicks == 21)
        #expect(times.totalTicks == 132)
    }

    @Test func cpuPowerModelClampsLoad() {
        #expect(EstimateMeter.cpuWatts(fullLoadWatts: 100, load: 0) == 10)
        #expect(EstimateMeter.cpuWatts(fullLoadWatts: 100, load: 1) == 100)
        #expect(EstimateMeter.cpuWatts(fullLoadWatts: 100, load: 3) == 100)
    }
}
