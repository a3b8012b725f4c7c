import Foundation
import FootprintTestKit
import Testing

/// The built `footprint` with a stub NVML (Tests/Stubs/nvml_stub.c) named by
/// FOOTPRINT_NVML_LIBRARY: a wrapped command's energy holds the GPUs, and `footprint meters`
/// says NVML is used.
@Suite struct GPUStubCommandTests {
    @Test func wrapCountsTheStubbedGPUsAndMetersListsNVMLAsUsed() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={250.0,100.0}", "GPU_NAME=\"NVIDIA Stub H100\""])
        let environment = ["FOOTPRINT_NVML_LIBRARY": library, "CUDA_VISIBLE_DEVICES": "0,1"]
        let outcome = try binary.run(["wrap", "--json", "--", "sleep", "1"], in: directory, environment: environment)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let wallSeconds = try #require((object["seconds"] as? [String: Any])?["wall"] as? Double)
        let energy = try #require(object["energy"] as? [String: Any])
        let meters = try #require(energy["meters"] as? [[String: Any]])
        let gpus = meters.filter { $0["name"] as? String == "nvml" }
        #expect(gpus.map { $0["zone"] as? String } == ["gpu-0 (NVIDIA Stub H100)", "gpu-1 (NVIDIA Stub H100)"])
        for (gpu, watts) in zip(gpus, [250.0, 100.0]) {
            let joules = gpu["joules"] as? Double ?? 0
            let driven = watts * wallSeconds
            #expect(gpu["includedInTotal"] as? Bool == true)
            #expect(abs(joules - driven) <= 0.02 * driven, "\(gpu["zone"] ?? ""): \(joules) J measured, \(driven) J driven")
        }
        let total = try #require(energy["joules"] as? Double)
        #expect(total >= 350 * wallSeconds * 0.98, "the run's \(total) J must include both GPUs")

        let listing = try binary.run(["meters", "--json", "--seconds", "0.2"], in: directory, environment: environment)
        #expect(listing.status == 0, "\(listing.standardError)")
        let candidates = try #require(try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [[String: Any]])
        let nvml = try #require(candidates.first { $0["name"] as? String == "nvml" })
        #expect(nvml["status"] as? String == "used", "\(nvml)")
    }
}
