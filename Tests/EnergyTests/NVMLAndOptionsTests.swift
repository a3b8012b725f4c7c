import FootprintTestKit
import Testing

@testable import Energy

@Suite struct NVMLAndOptionsTests {
    @Test func aMissingNVMLLibraryMakesTheMeterUnavailableNotAnError() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        #expect {
            _ = try NVMLMeter(options: machine.options)
        } throws: { error in
            guard case .meterUnavailable(meter: "nvml", let reason)? = error as? EnergyError else { return false }
            return reason.contains("could not be loaded")
        }
        let selection = MeterSelection.open(options: machine.options)
        #expect(selection.meters.map(\.name) == ["rapl", "estimate"])
        #expect(selection.notes.contains { $0.hasPrefix("nvml unavailable: The nvml meter is unavailable") })
    }

    @Test func cudaVisibleDevicesKeepsIndicesAndNotesUUIDs() {
        #expect(VisibleDevices.parse("0,2").indices == [0, 2])
        let mixed = VisibleDevices.parse("GPU-8e1f2a,1")
        #expect(mixed.indices == [1])
        #expect(mixed.notes.count == 1)
        #expect(VisibleDevices.parse("1,-1,2").indices == [1])
        #expect(VisibleDevices.parse("").indices == [])
    }

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

    @Test func diagnosisSaysWhichMetersWorkAndWhyNot() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        let diagnoses = diagnoseMeters(options: machine.options, sampleSeconds: 0.02)
        #expect(diagnoses.map(\.name) == ["rapl", "perf", "nvml", "estimate"])
        #expect(diagnoses.map(\.available) == [true, false, false, true])
        #expect(diagnoses.map(\.status) == ["used", "unavailable", "unavailable", "standby"])
        #expect(diagnoses[0].zones.map(\.zone) == ["package-0"])
        #expect(diagnoses[0].zones.first?.watts == 0)
        #expect(diagnoses[0].probeSeconds != nil)
        #expect(diagnoses[1].reason?.contains("no power PMU") == true)
        let text = renderMeterDiagnosis(diagnoses)
        #expect(text.contains("rapl: used"))
        #expect(text.contains("Probe: 1"))
        #expect(text.contains("nvml: unavailable"))
        #expect(text.contains("A run here would use: rapl (measured)"))
    }
}
