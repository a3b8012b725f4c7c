import FootprintTestKit
import Testing

@testable import Energy

/// The NVML meter where the library is absent, and the GPUs CUDA_VISIBLE_DEVICES selects.
@Suite struct NVMLMeterTests {
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
}
