import Testing

@testable import Energy

/// Meter options read from the environment, and the sampling interval a monitor makes of them.
@Suite struct MeterOptionsTests {
    @Test func optionsComeFromTheEnvironment() {
        let options = MeterOptions.fromEnvironment([
            "FOOTPRINT_POWERCAP_ROOT": "/mnt/sys/class/powercap",
            "FOOTPRINT_CPU_WATTS": "65",
            "CUDA_VISIBLE_DEVICES": "3",
        ])
        #expect(options.powercapRoots == ["/mnt/sys/class/powercap"])
        #expect(options.cpuWatts == 65)
        #expect(options.visibleGPUs == [3])
        let bad = MeterOptions.fromEnvironment(["FOOTPRINT_CPU_WATTS": "lots"])
        #expect(bad.cpuWatts == nil)
        #expect(bad.environmentNotes.first?.contains("lots") == true)
        #expect(MeterOptions.fromEnvironment([:]).visibleGPUs == nil)
        var nonsense = MeterOptions()
        nonsense.samplingIntervalSeconds = -.infinity
        #expect(EnergyMonitor(options: nonsense).intervalSeconds == 1)
        nonsense.samplingIntervalSeconds = 0.1
        #expect(EnergyMonitor(options: nonsense).intervalSeconds == 0.1)
    }
}
