import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// A measured GPU beside an estimated CPU (a machine without RAPL): a gap bridged in the GPU's
/// counter is part of the total, so the run says how much was bridged and what interval it implies.
@Suite struct DeviceBridgeBesideEstimateTests {
    @Test func aStoppedGPUCounterBesideAnEstimatedCPUIsBridgedAndMarkedInTheRun() throws {
        let machine = try FixtureMachine()
        try machine.writeCPUInfo(modelName: "Imaginary CPU", processors: 2)
        // The counter stops 0.3 s after the library is initialised: most of the run is bridged.
        // Defines no other test uses: a library loaded twice in one process shares its clock, so a
        // stopping counter must be this test's own.
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={210.0}", "STOP_AFTER_SECONDS=0.3"])
        var options = machine.options
        options.nvmlLibraryName = library
        options.samplingIntervalSeconds = 0.02
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: 1.6)
        let measurement = monitor.stop(processCPUSeconds: nil)
        let gpu = try #require(measurement.meters.first { $0.name == "nvml" })
        #expect(gpu.includedInTotal)
        #expect((gpu.bridgedJoules ?? 0) > 0, "\(measurement.meters)")
        #expect((measurement.bridgedJoules ?? 0) > 0, "the run's bridged energy includes the GPU's gap")
        #expect(measurement.resolved == false, "more than 5 % of the energy bridged is not a result")
        #expect(measurement.notes.contains { $0.hasPrefix("bridged") && $0.contains("gpu-0") }, "\(measurement.notes)")
    }
}
