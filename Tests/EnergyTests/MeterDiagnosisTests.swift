import FootprintTestKit
import Testing

@testable import Energy

/// `footprint meters`: which meters work on a fixture machine, which do not, and why.
@Suite struct MeterDiagnosisTests {
    @Test func diagnosisSaysWhichMetersWorkAndWhyNot() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        let all = diagnoseMeters(options: machine.options, sampleSeconds: 0.02)
        #expect(all.map(\.name) == ["agent", "rapl", "perf", "nvml", "amdsmi", "hwmon", "estimate"])
        #expect(all.first?.reason?.contains("agent.sock") == true, "the agent's socket is absent in a fixture")
        let diagnoses = all.filter { ["rapl", "perf", "nvml", "estimate"].contains($0.name) }
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
