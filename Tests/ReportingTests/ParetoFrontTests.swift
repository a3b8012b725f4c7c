import Foundation
import Statistics
import Testing

@testable import Reporting

@Suite struct ParetoFrontTests {
    /// Three repeats around `value` with about 1% noise.
    private func repeats(_ value: Double) -> [Double] { [value * 0.99, value, value * 1.01] }

    @Test func keepsOnlyPointsNoOtherBeatsWhenEveryDifferenceIsResolved() {
        // Accuracy, higher is better; costs 1…5 with 1% noise are all distinguishable.
        let costs = [1.0, 2, 3, 4, 5].map(repeats)
        let accuracy = [0.50, 0.70, 0.65, 0.90, 0.90]
        #expect(ParetoFront.indices(costSamples: costs, qualities: accuracy, higherIsBetter: true) == [0, 1, 3])
        // The same numbers read as an error, lower is better: only the cheapest is best on both.
        #expect(ParetoFront.indices(costSamples: costs, qualities: accuracy, higherIsBetter: false) == [0])
    }

    @Test func singleRunsDominateNothing() {
        // The same figures as above, one run each: no interval, so no claim, so all stay.
        let costs: [[Double]] = [[1], [2], [3], [4], [5]]
        let accuracy = [0.50, 0.70, 0.65, 0.90, 0.90]
        #expect(ParetoFront.indices(costSamples: costs, qualities: accuracy, higherIsBetter: true) == [0, 1, 2, 3, 4])
        // One side repeated is not enough either.
        #expect(ParetoFront.indices(costSamples: [repeats(1), [5]], qualities: [0.9, 0.5], higherIsBetter: true) == [0, 1])
    }

    @Test func equalEnergyWithinNoiseIsDecidedByQualityAlone() {
        // Energies indistinguishable (same scatter); the better quality dominates, an equal one does not.
        let noisy = [[10.0, 12, 9], [11.0, 9.5, 12]]
        #expect(ParetoFront.indices(costSamples: noisy, qualities: [0.2, 0.4], higherIsBetter: false) == [0])
        #expect(ParetoFront.indices(costSamples: noisy, qualities: [0.3, 0.3], higherIsBetter: false) == [0, 1])
    }

    @Test func dropsCandidatesWithoutAValidCostOrQuality() {
        let front = ParetoFront.indices(
            costSamples: [repeats(2), [], [1, -1], repeats(1)], qualities: [0.1, 0.01, 0.01, .nan], higherIsBetter: false)
        #expect(front == [0])
    }

    @Test func dominanceNeedsAnIntervalAndANonHigherEnergy() {
        let lower = RatioInterval(median: 0.5, low: 0.4, high: 0.6, distinguishable: true)
        let higher = RatioInterval(median: 2, low: 1.5, high: 2.5, distinguishable: true)
        let same = RatioInterval(median: 1.05, low: 0.8, high: 1.3, distinguishable: false)
        let single = RatioInterval(median: 0.1, low: nil, high: nil, distinguishable: false)
        func dominates(_ a: Double, _ b: Double, _ ratio: RatioInterval?) -> Bool {
            ParetoFront.dominates(quality: a, over: b, higherIsBetter: true, costRatio: ratio)
        }
        #expect(dominates(0.9, 0.9, lower))  // cheaper, as good
        #expect(dominates(0.95, 0.9, same))  // as cheap, better
        #expect(!dominates(0.9, 0.9, same))  // nothing better
        #expect(!dominates(0.95, 0.9, higher))  // better but dearer
        #expect(!dominates(0.85, 0.9, lower))  // cheaper but worse
        #expect(!dominates(0.95, 0.9, single))  // no interval: no claim
        #expect(!dominates(0.95, 0.9, nil))
    }
}
