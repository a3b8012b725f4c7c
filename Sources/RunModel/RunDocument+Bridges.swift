import Foundation
import RunStore
import Vocabulary

extension RunDocument {
    /// A run's energy as stored: the band widened to hold what bridges could have missed, and
    /// resolved only when the resolution allows it and the run, judging its bridges, said so.
    ///
    /// Runs stored before schema 6 have no stored verdict and are judged by their resolution
    /// alone, as they always were.
    static func energy(
        of run: RunRecord, joules: Double, provenance: EnergyProvenance, resolution: EnergyResolution, meters: [MeterEnergyRecord]
    ) -> Energy {
        let band = provenance.band
        var low = joules * band.lowFactor
        var high = joules * band.highFactor
        if let minimum = run.energyMinimumJoules { low = min(low, minimum) }
        if let maximum = run.energyMaximumJoules { high = max(high, maximum) }
        let resolved = resolution.resolves(joules: joules, seconds: run.wallSeconds ?? 0) && run.energyResolved != false
        let bridgedSeconds = meters.filter(\.includedInTotal).compactMap(\.bridgedSeconds).reduce(0, +)
        return Energy(
            joules: joules, low: low, high: high, attributedJoules: run.attributedJoules, provenance: provenance,
            resolved: resolved, resolution: resolution,
            meters: meters.map {
                MeterJoules(
                    name: $0.meter, zone: $0.zone, joules: $0.joules, includedInTotal: $0.includedInTotal,
                    bridgedSeconds: $0.bridgedSeconds,
                    bridgedJoules: $0.bridgedJoules)
            },
            idleWatts: run.idleWatts, netJoules: run.netJoules, estimateModel: run.estimateModel,
            notes: JSONText.decode([String].self, from: run.energyNotesJSON) ?? [], bridgedJoules: run.bridgedJoules,
            bridgedSeconds: bridgedSeconds > 0 ? bridgedSeconds : nil, minimumJoules: run.energyMinimumJoules,
            maximumJoules: run.energyMaximumJoules)
    }
}

extension RunDocument.Energy {
    /// The part of `joules` bridged across intervals a counter lost, 0 when none.
    public var bridgedShare: Double {
        guard let bridged = bridgedJoules, joules > 0 else { return 0 }
        return bridged / joules
    }

    /// Whether the figure is unresolved because more than 5 % of it is bridged (rather than,
    /// or as well as, being under the meters' resolution).
    public var isUnresolvedByBridges: Bool {
        !resolved && bridgedShare > EnergyResolution.maximumBridgedShare
    }

    /// `not resolved: 23.0% of it bridged across intervals a counter lost`, for a figure
    /// unresolved by its bridges; nil otherwise (the meter notes say which zones and when).
    public var bridgedShortfall: String? {
        guard isUnresolvedByBridges else { return nil }
        return "not resolved: \(UnitFormat.percent(bridgedShare)) of it bridged across intervals a counter lost"
    }
}
