import Carbon
import Foundation
import FootprintTestKit
import RunStore
import Testing
@testable import Footprint
import RunModel

/// A run whose package counter restarts from 0 six times in 0.8 s, each reset losing up to one
/// 20 ms sampling interval: what the meter bridged reaches the store and the document, not
/// only the notes.
@Suite struct BridgedRunStorageTests {
    @Test func packageResetSixTimesInARunIsStoredBridgedAndNotResolved() throws {
        let machine = try TrackerTests.raplMachine()
        let (tracker, directory) = try TrackerTests.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Starts from the fixture's 1 J, so the counter only moves forward until the failure.
        let writer = ConstantPowerWriter(
            machine: machine, zoneID: "intel-rapl:0", watts: 50, rangeMicrojoules: 262_143_328_850, startMicrojoules: 1_000_000,
            mishaps: (1...6).map { .reset(atSeconds: Double($0) * 0.1) })
        let runID = try tracker.track(name: "flaky", model: "mlp:1-10-1", dataset: "terrain", plannedEpochs: 1) { run in
            writer.start()
            Thread.sleep(forTimeInterval: 0.8)
            try run.recordEpoch(EpochMetrics(index: 1, trainLoss: 0.5))
            return run.id
        }
        _ = writer.stop()
        #expect(writer.errors.isEmpty)
        let stored = try tracker.database.run(id: runID)
        let bridged = try #require(stored.bridgedJoules)
        let joules = try #require(stored.energyJoules)
        // Six lost intervals of about 20 ms each out of about 0.8 s: above 5 %.
        #expect(bridged > 0.05 * joules)
        #expect(stored.energyResolved == false)
        #expect(try #require(stored.energyMinimumJoules) < joules && joules <= (try #require(stored.energyMaximumJoules)))
        let package = try #require(try tracker.database.meterEnergy(runID: runID).first { $0.zone.hasPrefix("package") })
        #expect(try #require(package.bridgedSeconds) > 0)
        #expect(package.bridgedJoules == bridged)
        #expect(try tracker.database.meterEnergy(runID: runID).first { $0.zone.hasPrefix("dram") }?.bridgedSeconds == nil)

        // The CO2e range is the ranges at both ends of the energy interval, not the band around the figure.
        let calculator = try CarbonCalculator(settings: CarbonSettings(countryCode: "FRA"))
        let wall = try #require(stored.wallSeconds)
        let basis = try #require(stored.energyProvenance)
        let atMinimum = try calculator.estimate(joules: try #require(stored.energyMinimumJoules), basis: basis, runSeconds: wall)
        let atMaximum = try calculator.estimate(joules: try #require(stored.energyMaximumJoules), basis: basis, runSeconds: wall)
        #expect(stored.gramsCO2eLow == atMinimum.lowGramsCO2e)
        #expect(stored.gramsCO2eHigh == atMaximum.highGramsCO2e)

        let energy = try #require(try RunDocument.load(id: runID, from: tracker.database).energy)
        #expect(!energy.resolved && energy.isUnresolvedByBridges)
        #expect(try #require(energy.low) <= (try #require(stored.energyMinimumJoules)))
        #expect(try #require(energy.high) >= (try #require(stored.energyMaximumJoules)))
        #expect(energy.notes.filter { $0.hasPrefix("bridged ") }.count == 1)
    }
}
