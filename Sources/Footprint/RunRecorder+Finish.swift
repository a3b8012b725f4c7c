import Carbon
import Energy
import Foundation
import RunModel
import RunStore
import Vocabulary

extension RunRecorder {
    /// Writes the energy, time and CO2e so far into the row (a wrapped run's periodic flush).
    mutating func storeProgress(seconds: Double, joules: Double, provenance: EnergyProvenance, carbon: CarbonEstimate?) throws {
        record.energyJoules = joules
        record.energyProvenance = provenance
        record.wallSeconds = seconds
        if let carbon { apply(carbon) }
        try database.updateRun(record)
    }

    /// Copies the monitor's measurement into the row.
    mutating func apply(_ measurement: EnergyMeasurement) {
        record.energyJoules = measurement.joules
        record.attributedJoules = measurement.attributedJoules
        record.energyProvenance = measurement.provenance
        record.idleWatts = measurement.idleWatts
        record.netJoules = measurement.netJoules
        record.estimateModel = measurement.estimateModel
        record.energyResolutionJoules = measurement.resolution.stepJoules
        record.energyResolutionSeconds = measurement.resolution.periodSeconds
        record.energyResolutionSource = measurement.resolution.source
        record.bridgedJoules = measurement.bridgedJoules
        record.energyMinimumJoules = measurement.minimumJoules
        record.energyMaximumJoules = measurement.maximumJoules
        // Stored, not recomputed from the resolution: a run more than 5 % bridged is unresolved.
        record.energyResolved = measurement.resolved
    }

    /// Copies a CO2e estimate and the settings it used into the row.
    mutating func apply(_ estimate: CarbonEstimate) {
        record.gramsCO2e = estimate.gramsCO2e
        record.gramsCO2eLow = estimate.lowGramsCO2e
        record.gramsCO2eHigh = estimate.highGramsCO2e
        record.intensityGramsPerKilowattHour = estimate.intensityGramsPerKilowattHour
        record.intensitySource = estimate.intensitySource
        record.intensityYear = estimate.intensityYear
        record.country = estimate.country
        record.pue = estimate.pue
        record.embodiedGrams = estimate.embodiedGramsCO2e
        record.embodiedKilograms = estimate.embodiedKilogramsCO2e
        record.lifetimeYears = estimate.lifetimeYears
    }

    /// Widens the CO2e range to the ranges at both ends of the energy interval a bridged run's
    /// true energy lies in, as its energy band widens to that interval.
    mutating func widenCarbon(atMinimum: CarbonEstimate, atMaximum: CarbonEstimate) {
        guard let low = record.gramsCO2eLow, let high = record.gramsCO2eHigh else { return }
        record.gramsCO2eLow = min(low, atMinimum.lowGramsCO2e)
        record.gramsCO2eHigh = max(high, atMaximum.highGramsCO2e)
    }

    /// Stores the run's end in one transaction: the last samples, the energy per zone, every
    /// figure and the status. On a full disk, the space reserve and a truncated write-ahead
    /// log make room, and the row itself goes before its last samples.
    ///
    /// - Parameters:
    ///   - status: `completed`, `failed` or `interrupted`.
    ///   - end: The run's time and how it ended.
    ///   - samples: The power samples not yet written.
    ///   - meterEnergy: Each meter zone's energy.
    ///   - notes: The energy notes.
    /// - Returns: The stored row.
    /// - Throws: `RunStoreError` when not even the row can be written.
    mutating func complete(
        status: RunStatus, end: RunEnd, samples: [PowerSample], meterEnergy: [MeterEnergy], notes: [String]
    ) throws -> RunRecord {
        let samples = samples.map {
            PowerSampleRecord(runID: id, elapsedSeconds: $0.elapsedSeconds, meter: $0.meter, zone: $0.zone, watts: $0.watts)
        }
        let meterEnergy = meterEnergy.map {
            MeterEnergyRecord(
                runID: id, meter: $0.name, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal,
                bridgedSeconds: $0.bridgedSeconds, bridgedJoules: $0.bridgedJoules)
        }
        record.energyNotesJSON = notes.isEmpty ? nil : JSONText.encode(notes)
        record.wallSeconds = end.wallSeconds
        record.cpuSeconds = end.cpuSeconds
        record.errorText = end.errorText ?? record.errorText
        record.exitStatus = end.exitStatus ?? record.exitStatus
        defer { spaceReserve?.release() }
        do {
            record = try database.completeRun(record, status: status, endedAt: Date(), samples: samples, meterEnergy: meterEnergy)
        } catch {
            // A full disk: the reserve and a truncated write-ahead log give the end room, and
            // the run's own row needs far fewer pages than its last samples: the status and
            // figures come first.
            spaceReserve?.release()
            try? (database as? RunDatabase)?.truncateWriteAheadLog()
            do {
                record = try database.completeRun(record, status: status, endedAt: Date(), samples: samples, meterEnergy: meterEnergy)
            } catch {
                var lean = record
                lean.energyNotesJSON = JSONText.encode(
                    notes + ["The last \(samples.count) power samples and the energy per meter zone were not stored: \(error)"])
                record = try database.completeRun(lean, status: status, endedAt: Date(), samples: [], meterEnergy: [])
            }
        }
        return record
    }
}

/// How a run ended, as ``RunSession/finish(status:errorText:exitStatus:processCPUSeconds:)``
/// stores it.
struct RunEnd: Sendable {
    /// Seconds the run took (the monitor's, when there is one).
    var wallSeconds: Double
    /// CPU seconds of the measured process tree.
    var cpuSeconds: Double
    /// Why it failed or stopped; nil keeps what the row has.
    var errorText: String?
    /// A wrapped command's exit status; nil keeps what the row has.
    var exitStatus: Int32?
}
