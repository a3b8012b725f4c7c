import Foundation
import Vocabulary

extension EnergyMonitor {
    /// Each zone's joules since `start()` as the run's total counts them, for live exports that
    /// break the total down by meter and zone.
    ///
    /// Reads the figures of the latest poll (`reading()` polls; the sampler polls every
    /// interval) without polling again. Zone names are the meters' own (`package-0`, `cpu`) and
    /// stay the same over the run, so a time series keeps its labels. The zones that count in
    /// the total add up to `reading().joules`. After `stop`, joules and `includedInTotal` are the
    /// final measurement's (which may hand the total to the estimate when counters never moved).
    ///
    /// - Returns: One entry per zone of every open meter; empty before `start()`.
    public func zoneJoules() -> [MeterEnergy] {
        state.withLock { state in
            guard state.phase != .idle else { return [] }
            // `makeMeasurement` builds its meters from `contributions` in the same order.
            let final = state.finalMeasurement?.meters
            return state.contributions.enumerated().map { index, part in
                let meter = state.meters[part.meter]
                var energy = MeterEnergy(
                    name: meter.name, zone: meter.zones[part.zone].label, joules: part.joules, includedInTotal: part.included,
                    provenance: meter.provenance)
                if let final, final.indices.contains(index) {
                    energy.joules = final[index].joules
                    energy.includedInTotal = final[index].includedInTotal
                }
                return energy
            }
        }
    }

    /// The newest power sample of each zone among those not yet taken by `drainSamples()`,
    /// without taking them.
    ///
    /// - Returns: At most one sample per meter zone, in the order the zones were sampled; empty
    ///   when every sample has been drained.
    public func latestSamples() -> [PowerSample] {
        state.withLock { state in
            // Each sampling round appends one sample per live zone, so walking back from the end,
            // the first zone seen twice marks the previous round: a long run's backlog is not read.
            var seen = Set<String>()
            var latest: [PowerSample] = []
            for sample in state.samples.reversed() {
                guard seen.insert(sample.meter + "\u{1F}" + sample.zone).inserted else { break }
                latest.append(sample)
            }
            return latest.reversed()
        }
    }
}
