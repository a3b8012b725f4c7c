import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// Counters that misbehave once during a run, driven at a known power by writer threads as a
/// device would drive them: each loses its own interval, never the run or another zone.
/// Serialized: each test runs two writer threads in real time, which other suites' real-time
/// tests must not be starved by.
@Suite(.serialized) struct CounterRecoveryTests {
    /// RAPL's range with 2^-14 J energy units (2^32 counts): what most Intel clients show.
    static let clientRange: UInt64 = 262_143_328_850

    struct Zone {
        var id: String
        var name: String
        var watts: Double
        /// Whether the zone exposes `max_energy_range_uj`.
        var exposesRange = true
        var startMicrojoules: UInt64 = 0
        var mishaps: [ConstantPowerWriter.Mishap] = []
    }

    struct DrivenRun {
        var measurement: EnergyMeasurement
        /// Joules each zone drew between `start()` and `stop`, by label.
        var drivenJoules: [String: Double]
        var drivenTotal: Double { drivenJoules.values.reduce(0, +) }

        func recorded(_ label: String) -> Double {
            measurement.meters.first { $0.name == "rapl" && $0.zone == label }?.joules ?? 0
        }

        /// Notes about one zone's events (not the opening notes).
        func eventNotes(_ label: String) -> [String] {
            measurement.notes.filter { $0.hasPrefix("rapl \(label):") }
        }

        /// Within 5 % of the driven total, or unresolved with an interval that contains it.
        var accountsForTheDrivenEnergy: Bool {
            let truth = drivenTotal
            if abs(measurement.joules - truth) <= 0.05 * truth { return true }
            guard !measurement.resolved, let low = measurement.minimumJoules, let high = measurement.maximumJoules else {
                return false
            }
            return low <= truth && truth <= high
        }

        var summary: String {
            let interval = measurement.minimumJoules.map { low in " [\(low) – \(measurement.maximumJoules ?? .nan)]" } ?? ""
            return "driven \(drivenTotal) J (\(drivenJoules)), recorded \(measurement.joules) J\(interval), "
                + "resolved \(measurement.resolved), zones \(measurement.meters.map { "\($0.zone) \($0.joules)" }), notes \(measurement.notes)"
        }
    }

    /// Writers start first (a real counter is always counting), the monitor opens and probes,
    /// then the run lasts `seconds`. Mishap times count from the writers' start; the run starts
    /// about 0.15 s later.
    func drive(_ zones: [Zone], seconds: Double, test: String = #function) throws -> DrivenRun {
        let machine = try FixtureMachine()
        var writers: [(label: String, writer: ConstantPowerWriter)] = []
        for zone in zones {
            try machine.addZone(
                zone.id, name: zone.name, microjoules: zone.startMicrojoules,
                maxRangeMicrojoules: zone.exposesRange ? Self.clientRange : nil)
            let writer = ConstantPowerWriter(
                machine: machine, zoneID: zone.id, watts: zone.watts, rangeMicrojoules: Self.clientRange, stepSeconds: 0.005,
                startMicrojoules: zone.startMicrojoules, mishaps: zone.mishaps)
            let label = zone.name.hasPrefix("package") ? zone.name : "\(zone.name)-0"
            writers.append((label, writer))
        }
        for (_, writer) in writers { writer.start() }
        Thread.sleep(forTimeInterval: 0.02)
        var options = machine.options
        options.samplingIntervalSeconds = 0.05
        options.disabledMeters = ["nvml"]
        options.allowedMeters = [.rapl]
        let monitor = EnergyMonitor(options: options)
        try monitor.start()
        Thread.sleep(forTimeInterval: seconds)
        let measurement = monitor.stop(processCPUSeconds: nil)
        // The truth over exactly the monitor's window, from the writers' own timestamps, so a
        // writer thread delayed by a loaded machine shifts both sides alike.
        let startSeconds = monitor.state.withLock { $0.startSeconds }
        let endSeconds = startSeconds + measurement.seconds
        var driven: [String: Double] = [:]
        for (label, writer) in writers {
            _ = writer.stop()
            driven[label] = writer.drawnJoules(atMonotonicSeconds: endSeconds) - writer.drawnJoules(atMonotonicSeconds: startSeconds)
            #expect(writer.errors.isEmpty, "\(writer.errors)")
        }
        let run = DrivenRun(measurement: measurement, drivenJoules: driven)
        print("\(test): \(run.summary)")
        return run
    }

    /// Nothing says the zone's energy is missing from some point on, nor repeats start-up advice.
    func expectNoStaleAdvice(_ run: DrivenRun) {
        #expect(!run.measurement.notes.contains { $0.contains("energy is missing") }, "\(run.measurement.notes)")
        #expect(!run.measurement.notes.contains { $0.contains("CVE-2020-8694") || $0.contains("chmod") }, "\(run.measurement.notes)")
        #expect(!run.measurement.notes.contains { $0.contains("stopped answering") }, "\(run.measurement.notes)")
    }

    func expectWithinFivePercent(_ recorded: Double, _ driven: Double, _ what: String, _ run: DrivenRun) {
        #expect(abs(recorded - driven) <= 0.05 * driven, "\(what): driven \(driven) J, recorded \(recorded) J; \(run.summary)")
    }

    @Test func packageCounterSteppingBackOnceLosesOnlyThatInterval() throws {
        let run = try drive(
            [
                Zone(id: "intel-rapl:0", name: "package-0", watts: 30, mishaps: [.stepBack(atSeconds: 0.7, microjoules: 5_000_000)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        expectWithinFivePercent(run.recorded("dram-0"), run.drivenJoules["dram-0"] ?? 0, "dram-0, untouched", run)
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(
            notes.first.map { $0.contains("stepped back") && $0.contains("s into the run") && $0.contains("bridged") } == true, "\(notes)")
        #expect(run.eventNotes("dram-0").isEmpty)
        expectNoStaleAdvice(run)
    }

    @Test func packageCounterSteppingBackWithoutARangeLosesOnlyThatInterval() throws {
        let run = try drive(
            [
                Zone(
                    id: "intel-rapl:0", name: "package-0", watts: 30, exposesRange: false, startMicrojoules: 40_000_000,
                    mishaps: [.stepBack(atSeconds: 0.7, microjoules: 5_000_000)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5, exposesRange: false),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        expectWithinFivePercent(run.recorded("dram-0"), run.drivenJoules["dram-0"] ?? 0, "dram-0, untouched", run)
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(notes.first.map { $0.contains("stepped back") && $0.contains("not a wrap") } == true, "\(notes)")
        expectNoStaleAdvice(run)
    }

    @Test func packageCounterResettingToZeroLosesOnlyThatInterval() throws {
        let run = try drive(
            [
                Zone(
                    id: "intel-rapl:0", name: "package-0", watts: 30, startMicrojoules: 900_000_000,
                    mishaps: [.reset(atSeconds: 0.7)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        expectWithinFivePercent(run.recorded("dram-0"), run.drivenJoules["dram-0"] ?? 0, "dram-0, untouched", run)
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(notes.first.map { $0.contains("reset") && $0.contains("bridged") } == true, "\(notes)")
        expectNoStaleAdvice(run)
    }

    @Test func packageCounterWrappingWithoutARangeIsCountedInFull() throws {
        // 15 J below RAPL's 2^32 × 61 µJ range: at 30 W it wraps 0.5 s after the writer starts.
        let run = try drive(
            [
                Zone(
                    id: "intel-rapl:0", name: "package-0", watts: 30, exposesRange: false, startMicrojoules: Self.clientRange - 15_000_000),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5, exposesRange: false),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        #expect(run.measurement.resolved)
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(notes.first.map { $0.contains("wrapped without max_energy_range_uj") && $0.contains("262143") } == true, "\(notes)")
        expectNoStaleAdvice(run)
    }

    @Test func packageCounterUnreadableForAThirdOfASecondResumesWhenItReadsAgain() throws {
        let run = try drive(
            [
                Zone(id: "intel-rapl:0", name: "package-0", watts: 30, mishaps: [.unreadable(atSeconds: 0.5, seconds: 0.3)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        expectWithinFivePercent(run.recorded("dram-0"), run.drivenJoules["dram-0"] ?? 0, "dram-0, untouched", run)
        #expect(run.measurement.resolved)
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(notes.first.map { $0.contains("read failure") && $0.contains("read again") } == true, "\(notes)")
        expectNoStaleAdvice(run)
    }

    @Test func packageAndDramUnreadableAtDifferentTimesEachResume() throws {
        let run = try drive(
            [
                Zone(id: "intel-rapl:0", name: "package-0", watts: 30, mishaps: [.unreadable(atSeconds: 0.35, seconds: 0.3)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5, mishaps: [.unreadable(atSeconds: 0.75, seconds: 0.3)]),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        expectWithinFivePercent(run.recorded("package-0"), run.drivenJoules["package-0"] ?? 0, "package-0", run)
        expectWithinFivePercent(run.recorded("dram-0"), run.drivenJoules["dram-0"] ?? 0, "dram-0", run)
        #expect(run.eventNotes("package-0").count == 1, "\(run.measurement.notes)")
        #expect(run.eventNotes("dram-0").count == 1, "\(run.measurement.notes)")
        expectNoStaleAdvice(run)
    }

    @Test func packageCounterResetWhileUnreadableIsBridgedAndTheRunIsNotResolved() throws {
        let run = try drive(
            [
                Zone(
                    id: "intel-rapl:0", name: "package-0", watts: 30, startMicrojoules: 500_000_000,
                    mishaps: [.unreadable(atSeconds: 0.5, seconds: 0.3), .reset(atSeconds: 0.6)]),
                Zone(id: "intel-rapl:0:0", name: "dram", watts: 5),
            ], seconds: 1.2)
        #expect(run.accountsForTheDrivenEnergy, "\(run.summary)")
        #expect(!run.measurement.resolved, "about a quarter of the package's energy is bridged: \(run.summary)")
        let low = try #require(run.measurement.minimumJoules)
        let high = try #require(run.measurement.maximumJoules)
        #expect(low <= run.drivenTotal && run.drivenTotal <= high, "\(run.summary)")
        let notes = run.eventNotes("package-0")
        #expect(notes.count == 1, "one note for one event: \(notes)")
        #expect(notes.first.map { $0.contains("read failure") && $0.contains("bridged") } == true, "\(notes)")
        expectNoStaleAdvice(run)
    }
}
