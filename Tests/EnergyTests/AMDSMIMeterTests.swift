import Foundation
import FootprintTestKit
import Testing
import Vocabulary

@testable import Energy

/// The AMD SMI meter end to end: the real meter loads a stub library
/// (Tests/Stubs/amdsmi_stub.c) that answers like AMD SMI with counters driven at known powers.
@Suite struct AMDSMIMeterTests {
    /// Options that read AMD SMI from `library` and nothing else.
    static func options(library: String) -> MeterOptions {
        var options = MeterOptions()
        options.amdsmiLibraryName = library
        options.allowedMeters = [.amdsmi]
        return options
    }

    static func expectWithinTwoPercent(_ zone: Energy.MeterZone?, watts: Double, seconds: Double) {
        let driven = watts * seconds
        let joules = zone?.joules ?? 0
        #expect(abs(joules - driven) <= 0.02 * driven, "\(zone?.label ?? "no zone"): \(joules) J measured, \(driven) J driven")
    }

    @Test func twoGPUsAtDifferentPowersAreEachMeasuredWithinTwoPercent() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={300.0,120.0}", "GPU_NAME=\"AMD Instinct MI300X\""])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-0 (AMD Instinct MI300X)", "gpu-1 (AMD Instinct MI300X)"])
        #expect(meter.zones.map(\.deviceIndex) == [0, 1])
        #expect(meter.resolution == .amdsmi)
        #expect(meter.openingNotes.isEmpty, "\(meter.openingNotes)")
        let seconds = GPUStubRun.poll(meter, forSeconds: 1)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 300, seconds: seconds)
        Self.expectWithinTwoPercent(meter.zones.last, watts: 120, seconds: seconds)
    }

    @Test func theChainProbesAndUsesTheStubbedGPUs() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={300.0,120.0}", "GPU_NAME=\"AMD Instinct MI300X\""])
        let selection = MeterSelection.open(options: Self.options(library: library), everyCandidate: false)
        defer { selection.meters.forEach { $0.close() } }
        #expect(selection.meters.map(\.name) == ["amdsmi"])
        #expect(selection.candidates.first { $0.kind == .amdsmi }?.status == .used)
    }

    @Test func hipVisibleDevicesFromTheEnvironmentSelectsOneGPU() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={300.0,120.0}", "GPU_NAME=\"AMD Instinct MI300X\""])
        let options = MeterOptions.fromEnvironment([
            "FOOTPRINT_AMDSMI_LIBRARY": library, "HIP_VISIBLE_DEVICES": "1", "CUDA_VISIBLE_DEVICES": "0",
        ])
        let meter = try AMDSMIMeter(options: options)
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-1 (AMD Instinct MI300X)"])
        #expect(meter.zones.map(\.deviceIndex) == [1])
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 120, seconds: seconds)
    }

    @Test func aCounterThatStopsUnderLoadIsMarkedAndBridgedNotCountedAsZero() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={400.0}", "STOP_AFTER_SECONDS=0.3"])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        var reasons: [String] = []
        let seconds = GPUStubRun.poll(meter, forSeconds: 1.6, every: 0.01) { events in
            for case (_, .readFailed(let reason)) in events { reasons.append(reason) }
        }
        #expect(reasons.count == 1)
        #expect(reasons.first?.contains("stood still") == true, "\(reasons)")
        let incident = try #require(meter.zones.first?.incidents.first)
        #expect(incident.unreadableToTheEnd)
        #expect(incident.bridgedSeconds > 1.1 && incident.bridgedSeconds < 1.4, "\(incident)")
        // Bridged with the socket's power sensor from the last advance.
        Self.expectWithinTwoPercent(meter.zones.first, watts: 400, seconds: seconds)
    }

    @Test func aLibraryWithoutTheEnergyFunctionSamplesSocketPowerAndSaysSo() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={220.0}", "NO_ENERGY_FUNCTION"])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.openingNotes.contains { $0.contains("gpu-0") && $0.contains("sampled power") }, "\(meter.openingNotes)")
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 220, seconds: seconds)
    }

    @Test func aDriverThatFailsInitMakesTheMeterUnavailableWithItsMessage() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["INIT_FAILS"])
        #expect {
            _ = try AMDSMIMeter(options: Self.options(library: library))
        } throws: { error in
            guard case .meterUnavailable(meter: "amdsmi", let reason)? = error as? EnergyError else { return false }
            return reason == "amdsmi_init failed: AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded (AMD SMI status 34)"
        }
    }

    @Test func aTwoDieBoardIsCountedOnceByTheDieThatReportsIt() throws {
        // MI250-style: die 1 reads zero; die 0's counter holds the whole board (300 + 200 W).
        let library = try StubLibrary.build(
            .amdsmi, defines: ["GPU_WATTS={300.0,200.0}", "SOCKET_OF={0,0}", "REPORTS={1,0}", "GPU_NAME=\"AMD Instinct MI250X\""])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.label) == ["gpu-0 (AMD Instinct MI250X)"])
        #expect(meter.openingNotes.contains { $0.hasPrefix("amdsmi: gpu-1 (AMD Instinct MI250X) reports no energy of its own; gpu-0") })
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 500, seconds: seconds)
    }

    @Test func socketPowerIsSampledOnceWhenEveryDieReportsIt() throws {
        // Without energy counters both dies report the socket's 500 W: counted once, not twice.
        let library = try StubLibrary.build(
            .amdsmi, defines: ["GPU_WATTS={300.0,200.0}", "SOCKET_OF={0,0}", "REPORTS={1,1}", "NO_ENERGY_FUNCTION"])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.deviceIndex) == [0])
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 500, seconds: seconds)
    }

    @Test func aCoveredDieSelectedAloneIsNotMeasuredAndSaysWhy() throws {
        let library = try StubLibrary.build(
            .amdsmi, defines: ["GPU_WATTS={300.0,200.0}", "SOCKET_OF={0,0}", "REPORTS={1,0}", "GPU_NAME=\"AMD Instinct MI250X\""])
        var options = Self.options(library: library)
        options.visibleAMDGPUs = [1]
        #expect {
            _ = try AMDSMIMeter(options: options)
        } throws: { error in
            guard case .meterUnavailable(meter: "amdsmi", let reason)? = error as? EnergyError else { return false }
            return reason.contains("no visible GPU could be read")
                && reason.contains("gpu-0 (AMD Instinct MI250X) of the same socket counts it, which this process does not see")
        }
    }

    // MARK: amdsmi_power_info_t across library versions

    @Test(arguments: [(24, "24.7.1.0", 68), (25, "25.5.1", 40), (26, "26.1.0", 192)])
    func theStubWritesThePowerInfoOfItsVersionWholeAndTheBufferHoldsIt(major: Int, version: String, bytes: Int) throws {
        let path = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={220.0}", "LIB_MAJOR=\(major)"])
        let library = try AMDSMILibrary(libraryName: path)
        #expect(library.version?.description == version)
        #expect(library.powerLayout?.bytes == bytes)
        #expect(bytes <= AMDSMILibrary.powerInfoBufferBytes)
        #expect(library.initialize(AMDSMILibrary.initAMDGPUs) == AMDSMILibrary.success)
        defer { _ = library.shutDown() }
        let processor = try #require(try library.processors().get().first?.processor)
        // Call the stub directly on a patterned buffer: the bytes it changed are the struct it wrote.
        let handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL))
        defer { dlclose(handle) }
        let function = unsafeBitCast(try #require(dlsym(handle, "amdsmi_get_power_info")), to: AMDSMILibrary.InfoFunction.self)
        var buffer = [UInt8](repeating: 0x5A, count: AMDSMILibrary.powerInfoBufferBytes)
        let code = buffer.withUnsafeMutableBytes { bytes in bytes.baseAddress.map { function(processor, $0) } ?? -1 }
        #expect(code == AMDSMILibrary.success)
        let written = (buffer.lastIndex { $0 != 0x5A } ?? -1) + 1
        #expect(written == bytes, "the stub wrote \(written) bytes; \(bytes) expected")
    }

    @Test(arguments: [24, 25, 26])
    func socketPowerIsReadByTheLayoutOfTheLibraryVersion(major: Int) throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={220.0}", "NO_ENERGY_FUNCTION", "LIB_MAJOR=\(major)"])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.instantaneousWatts(zone: 0) == 220)
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 220, seconds: seconds)
    }

    @Test func anUnknownLibraryVersionMeansSocketPowerIsNotReadAndSaysSo() throws {
        let counting = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={220.0}", "NO_VERSION_FUNCTION"])
        let meter = try AMDSMIMeter(options: Self.options(library: counting))
        defer { meter.close() }
        #expect(meter.zones.count == 1)
        #expect(meter.instantaneousWatts(zone: 0) == nil)
        #expect(meter.openingNotes.contains { $0.contains("version is unknown") }, "\(meter.openingNotes)")
        let sampling = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={220.0}", "NO_VERSION_FUNCTION", "NO_ENERGY_FUNCTION"])
        #expect {
            _ = try AMDSMIMeter(options: Self.options(library: sampling))
        } throws: { error in
            guard case .meterUnavailable(meter: "amdsmi", let reason)? = error as? EnergyError else { return false }
            return reason.contains("no visible GPU could be read") && reason.contains("version is unknown")
        }
    }

    @Test func versionWordsOfBothSchemesGiveTheLayoutsOfTheirHeaders() {
        func layout(_ words: [UInt32]) -> AMDSMIPowerInfoLayout? { AMDSMIVersion(words: words).map(AMDSMIPowerInfoLayout.init) }
        #expect(layout([23, 2, 0, 1]) == .averageFirst)  // ROCm 5.7
        #expect(layout([23, 4, 0, 0]) == .currentThenAverage)  // ROCm 6.0
        #expect(layout([24, 7, 1, 0]) == .currentThenAverage)  // ROCm 6.3
        #expect(layout([25, 3, 0, 0]) == .hostSocketPowerFirst)  // ROCm 6.4
        #expect(layout([26, 0, 0, 0]) == .socketPowerFirst)  // ROCm 7.0
        #expect(layout([27, 2, 0, 0]) == .socketPowerFirst)
        #expect(layout([0, 0, 0, 0]) == nil)
        #expect(AMDSMIVersion(words: [24, 7, 1, 0])?.description == "24.7.1.0")
        #expect(AMDSMIVersion(words: [25, 3, 0, 0])?.description == "25.3.0")
    }

    @Test func eachLayoutReadsItsOwnFieldsAndNeverAVoltage() {
        // ROCm 5.7: average_socket_power, then gfx_voltage in mV (not watts).
        var old = [UInt32](repeating: 0, count: 16)
        old[1] = 750
        #expect(old.withUnsafeBytes { AMDSMIPowerInfoLayout.averageFirst.watts(in: $0) } == nil)
        old[0] = 310
        #expect(old.withUnsafeBytes { AMDSMIPowerInfoLayout.averageFirst.watts(in: $0) } == 310)
        // ROCm 6.4: a host-only socket_power, then current and average.
        var rocm64 = [UInt32](repeating: 0, count: 10)
        (rocm64[0], rocm64[1], rocm64[3]) = (UInt32.max, 0, 540)
        #expect(rocm64.withUnsafeBytes { AMDSMIPowerInfoLayout.hostSocketPowerFirst.watts(in: $0) } == 540)
        // A buffer smaller than the struct is not read at all.
        #expect(rocm64.withUnsafeBytes { AMDSMIPowerInfoLayout.socketPowerFirst.watts(in: $0) } == nil)
    }

    // MARK: partitions that share the socket's counter

    @Test func partitionsReportingTheSocketsAccumulatorAreCountedOnce() throws {
        // MI300X in DPX: both partitions of socket 0 read its one accumulator (200 + 100 W); socket 1 is a GPU of its own.
        let library = try StubLibrary.build(
            .amdsmi,
            defines: [
                "GPU_WATTS={200.0,100.0,50.0}", "SOCKET_OF={0,0,1}", "SHARED_SOCKET_COUNTER", "GPU_NAME=\"AMD Instinct MI300X\"",
            ])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.deviceIndex) == [0, 2])
        #expect(
            meter.openingNotes.contains {
                $0.hasPrefix("amdsmi: gpu-1 (AMD Instinct MI300X) reads the same energy accumulator as gpu-0 (AMD Instinct MI300X)")
            }, "\(meter.openingNotes)")
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 300, seconds: seconds)
        Self.expectWithinTwoPercent(meter.zones.last, watts: 50, seconds: seconds)
    }

    @Test func diesOfOneSocketWithCountersOfTheirOwnAreEachCounted() throws {
        let library = try StubLibrary.build(.amdsmi, defines: ["GPU_WATTS={300.0,200.0}", "SOCKET_OF={0,0}", "REPORTS={1,1}"])
        let meter = try AMDSMIMeter(options: Self.options(library: library))
        defer { meter.close() }
        #expect(meter.zones.map(\.deviceIndex) == [0, 1])
        #expect(meter.openingNotes.isEmpty, "\(meter.openingNotes)")
        let seconds = GPUStubRun.poll(meter, forSeconds: 0.5)
        Self.expectWithinTwoPercent(meter.zones.first, watts: 300, seconds: seconds)
        Self.expectWithinTwoPercent(meter.zones.last, watts: 200, seconds: seconds)
    }

    @Test func aPartitionSelectedAloneWhoseCounterTheFirstCountsSaysItIsNotMeasuredHere() throws {
        let library = try StubLibrary.build(
            .amdsmi, defines: ["GPU_WATTS={200.0,100.0}", "SOCKET_OF={0,0}", "SHARED_SOCKET_COUNTER"])
        var options = Self.options(library: library)
        options.visibleAMDGPUs = [1]
        #expect {
            _ = try AMDSMIMeter(options: options)
        } throws: { error in
            guard case .meterUnavailable(meter: "amdsmi", let reason)? = error as? EnergyError else { return false }
            return reason.contains("reads the same energy accumulator as gpu-0") && reason.contains("which this process does not see")
        }
    }
}
