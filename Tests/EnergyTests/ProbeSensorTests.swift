import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// The probe reaches a GPU meter's own power sensor through the chain: a counter slower than
/// the probe is trusted when the sensor reads a live, plausible power, and says so.
@Suite struct ProbeSensorTests {
    @Test func aStillGPUCounterWithALiveSensorIsTrustedThroughTheChain() throws {
        // The energy counter never moves; the power sensor reads 200 W.
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={200.0}", "STOP_AFTER_SECONDS=0"])
        var options = MeterOptions()
        options.nvmlLibraryName = library
        options.allowedMeters = [.nvml]
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        defer { selection.meters.forEach { $0.close() } }
        let nvml = try #require(selection.candidates.first { $0.kind == .nvml })
        #expect(nvml.status == .used, "\(nvml)")
        #expect(nvml.notes.contains { $0.contains("power sensor reads 200 W") }, "\(nvml.notes)")
    }
}
