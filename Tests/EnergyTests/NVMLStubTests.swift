import Foundation
import FootprintTestKit
import Testing
import Vocabulary

@testable import Energy

/// The NVML meter end to end: the real meter loads a stub library (Tests/Stubs/nvml_stub.c)
/// that answers like NVML with counters driven at known powers.
@Suite struct NVMLStubTests {
    /// Options that read NVML from `library` and nothing else.
    static func options(library: String) -> MeterOptions {
        var options = MeterOptions()
        options.nvmlLibraryName = library
        options.allowedMeters = [.nvml]
        return options
    }

    @Test func twoGPUsAtDifferentPowersAreEachMeasuredWithinTwoPercent() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={250.0,100.0}", "GPU_NAME=\"NVIDIA Stub H100\""])
        let meter = try NVMLMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-0 (NVIDIA Stub H100)", "gpu-1 (NVIDIA Stub H100)"])
        #expect(meter.zones.map(\.deviceIndex) == [0, 1])
        #expect(meter.openingNotes.isEmpty, "\(meter.openingNotes)")
        let seconds = GPUStubRun.poll(meter, forSeconds: 1)
        for (zone, watts) in zip(meter.zones, [250.0, 100.0]) {
            let driven = watts * seconds
            #expect(abs(zone.joules - driven) <= 0.02 * driven, "\(zone.label): \(zone.joules) J measured, \(driven) J driven")
            #expect(zone.incidents.isEmpty)
        }
    }

    @Test func theChainProbesAndUsesTheStubbedGPUs() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={250.0,100.0}", "GPU_NAME=\"NVIDIA Stub H100\""])
        let selection = MeterSelection.open(options: Self.options(library: library), everyCandidate: false)
        defer { selection.meters.forEach { $0.close() } }
        #expect(selection.meters.map(\.name) == ["nvml"])
        #expect(selection.candidates.first { $0.kind == .nvml }?.status == .used)
        #expect(selection.meters.first?.role == .devices)
    }

    @Test func cudaVisibleDevicesFromTheEnvironmentSelectsOneGPU() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={250.0,100.0}", "GPU_NAME=\"NVIDIA Stub H100\""])
        let options = MeterOptions.fromEnvironment(["FOOTPRINT_NVML_LIBRARY": library, "CUDA_VISIBLE_DEVICES": "1"])
        let meter = try NVMLMeter(options: options)
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-1 (NVIDIA Stub H100)"])
        #expect(meter.zones.map(\.deviceIndex) == [1])
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        let driven = 100 * seconds
        let joules = try #require(meter.zones.first?.joules)
        #expect(abs(joules - driven) <= 0.02 * driven, "\(joules) J measured, \(driven) J driven")
    }

    @Test func aCounterThatStopsUnderLoadIsMarkedAndBridgedNotCountedAsZero() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={200.0}", "STOP_AFTER_SECONDS=0.3"])
        let meter = try NVMLMeter(options: Self.options(library: library))
        defer { meter.close() }
        var events: [ZoneEvent] = []
        // Polled every 10 ms so the stop is seen within 2 J of when it happened.
        let seconds = GPUStubRun.poll(meter, forSeconds: 1.6, every: 0.01) { events += $0.map(\.event) }
        let failure = events.compactMap { event -> String? in
            if case .readFailed(let reason) = event { return reason }
            return nil
        }
        #expect(failure.count == 1)
        #expect(failure.first?.contains("stood still") == true, "\(failure)")
        let zone = try #require(meter.zones.first)
        let incident = try #require(zone.incidents.first)
        #expect(incident.unreadableToTheEnd)
        // Stopped about 0.3 s in: the rest of the run is bridged, and marked so.
        #expect(incident.bridgedSeconds > 1.1 && incident.bridgedSeconds < 1.4, "\(incident)")
        // Bridged with the power sensor from the last advance: the driven energy within 2 %
        // (a still counter counted as zero would lose 80 %).
        let driven = 200 * seconds
        #expect(abs(zone.joules - driven) <= 0.02 * driven, "\(zone.joules) J measured, \(driven) J driven")
    }

    @Test func aLibraryWithoutTheEnergyFunctionSamplesPowerAndSaysSo() throws {
        for scenario in ["NO_ENERGY_FUNCTION", "ENERGY_NOT_SUPPORTED"] {
            let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={150.0}", scenario])
            let meter = try NVMLMeter(options: Self.options(library: library))
            defer { meter.close() }
            #expect(meter.openingNotes.contains { $0.contains("gpu-0") && $0.contains("sampled power") }, "\(meter.openingNotes)")
            let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
            let driven = 150 * seconds
            let joules = try #require(meter.zones.first?.joules)
            #expect(abs(joules - driven) <= 0.02 * driven, "\(scenario): \(joules) J measured, \(driven) J driven")
        }
    }

    @Test func aLibraryWithoutTheNameFunctionStillMeasuresByIndex() throws {
        let library = try StubLibrary.build(.nvml, defines: ["GPU_WATTS={80.0}", "NO_NAME_FUNCTION"])
        let meter = try NVMLMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-0"])
    }

    @Test func aDriverThatFailsInitMakesTheMeterUnavailableWithItsMessage() throws {
        let library = try StubLibrary.build(.nvml, defines: ["INIT_FAILS"])
        #expect {
            _ = try NVMLMeter(options: Self.options(library: library))
        } throws: { error in
            guard case .meterUnavailable(meter: "nvml", let reason)? = error as? EnergyError else { return false }
            return reason == "nvmlInit_v2 failed: Driver Not Loaded (NVML code 9)"
        }
        let selection = MeterSelection.open(options: Self.options(library: library))
        #expect(selection.meters.isEmpty)
        #expect(selection.candidates.first { $0.kind == .nvml }?.status == .unavailable)
    }
}

/// Polls a GPU meter as a run does, on the real monotonic clock.
enum GPUStubRun {
    /// Polls `meter` every `interval` seconds for `seconds`, then settles it.
    ///
    /// - Returns: The seconds from the first poll to the last: what the stub's power was
    ///   driven over.
    static func poll(
        _ meter: any EnergyMeter, forSeconds seconds: Double, every interval: Double = 0.05,
        events: ([(zone: Int, event: ZoneEvent)]) -> Void = { _ in }
    ) -> Double {
        let start = Clocks.monotonicSeconds()
        events(meter.poll(atSeconds: start))
        var now = start
        while now - start < seconds {
            Thread.sleep(forTimeInterval: interval)
            now = Clocks.monotonicSeconds()
            events(meter.poll(atSeconds: now))
        }
        meter.settle(atSeconds: now)
        return now - start
    }
}
