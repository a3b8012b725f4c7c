import Foundation
import Testing

@testable import Statistics

@Suite struct RepeatStatisticsTests {
    /// t(0.975, 2) in closed form: (2p − 1)·√(2 / (1 − (2p − 1)²)) with p = 0.975.
    private let t2 = 0.95 * (2 / (1 - 0.95 * 0.95)).squareRoot()

    @Test func logNormalIntervalOfOneTwoFourByHand() throws {
        // ln 1, ln 2, ln 4: mean ln 2, s = ln 2; half-width t(2) · ln 2 / √3.
        let interval = try #require(RepeatStatistics.logNormalInterval([1, 2, 4]))
        let half = t2 * log(2.0) / 3.0.squareRoot()
        #expect(abs(interval.median - 2) < 1e-12)
        #expect(abs(try #require(interval.low) - 2 * exp(-half)) < 1e-9)
        #expect(abs(try #require(interval.high) - 2 * exp(half)) < 1e-9)
        #expect(abs(try #require(interval.low) - 0.35746212358947466) < 1e-9)
        #expect(interval.count == 3)
        // The arithmetic mean (7/3) would be the wrong centre for skewed values.
        #expect(interval.median != 7.0 / 3)
    }

    @Test func logNormalIntervalRefusesWhatIsNotPositive() {
        #expect(RepeatStatistics.logNormalInterval([]) == nil)
        #expect(RepeatStatistics.logNormalInterval([1, 0, 2]) == nil)
        #expect(RepeatStatistics.logNormalInterval([1, -2]) == nil)
        #expect(RepeatStatistics.logNormalInterval([1, .infinity]) == nil)
        #expect(RepeatStatistics.logNormalInterval([.nan]) == nil)
    }

    @Test func oneValueHasAMedianButNoInterval() throws {
        let single = try #require(RepeatStatistics.logNormalInterval([42]))
        #expect(single == CentralInterval(median: 42, low: nil, high: nil, count: 1))
        #expect(!single.hasInterval)
        let mean = try #require(RepeatStatistics.meanInterval([-0.5]))
        #expect(mean == CentralInterval(median: -0.5, low: nil, high: nil, count: 1))
    }

    @Test func identicalValuesGiveAZeroWidthInterval() throws {
        let interval = try #require(RepeatStatistics.logNormalInterval([5, 5, 5]))
        #expect(abs(interval.median - 5) < 1e-12)
        #expect(abs(try #require(interval.low) - 5) < 1e-12)
        #expect(abs(try #require(interval.high) - 5) < 1e-12)
    }

    @Test func meanIntervalIsATIntervalOnRawValues() throws {
        // −1, 0, 4: mean 1, s² = (4 + 1 + 9) / 2 = 7; half-width t(2) · √(7/3).
        let interval = try #require(RepeatStatistics.meanInterval([-1, 0, 4]))
        let half = t2 * (7.0 / 3).squareRoot()
        #expect(abs(interval.median - 1) < 1e-12)
        #expect(abs(try #require(interval.low) - (1 - half)) < 1e-9)
        #expect(abs(try #require(interval.high) - (1 + half)) < 1e-9)
        #expect(RepeatStatistics.meanInterval([]) == nil)
        #expect(RepeatStatistics.meanInterval([1, .nan]) == nil)
    }

    @Test func welchRatioMatchesAHandComputedSample() throws {
        // scipy: logs of [10, 12, 11, 13] against [2, 2.5, 2.2]; Welch–Satterthwaite ν = 4.478…,
        // ratio e^(mean difference) = 5.1463…, interval 4.0947…–6.4681….
        let ratio = try #require(RepeatStatistics.ratio([10, 12, 11, 13], to: [2, 2.5, 2.2]))
        #expect(abs(ratio.median - 5.146339416316747) < 1e-9)
        #expect(abs(try #require(ratio.low) - 4.094667665210437) < 1e-9)
        #expect(abs(try #require(ratio.high) - 6.468121848558926) < 1e-9)
        #expect(ratio.distinguishable)
        #expect(ratio.isDistinguishablyAboveOne)
        // Swapping the sides inverts every figure.
        let inverse = try #require(RepeatStatistics.ratio([2, 2.5, 2.2], to: [10, 12, 11, 13]))
        #expect(abs(inverse.median * ratio.median - 1) < 1e-12)
        #expect(abs(try #require(inverse.low) * (try #require(ratio.high)) - 1) < 1e-12)
        #expect(inverse.isDistinguishablyBelowOne)
    }

    @Test func identicalSamplesAreIndistinguishable() throws {
        let joules = [40.1, 39.7, 40.4]
        let ratio = try #require(RepeatStatistics.ratio(joules, to: joules))
        #expect(abs(ratio.median - 1) < 1e-12)
        #expect(try #require(ratio.low) < 1)
        #expect(try #require(ratio.high) > 1)
        #expect(!ratio.distinguishable)
    }

    @Test func tenfoldWorkWithSmallNoiseIsDistinguishable() throws {
        let small = [1.00, 1.03, 0.98]
        let large = [10.2, 9.9, 10.1]
        let ratio = try #require(RepeatStatistics.ratio(large, to: small))
        #expect(ratio.distinguishable)
        #expect(try #require(ratio.low) > 9 && ratio.median > 9.9 && ratio.median < 10.2 && (try #require(ratio.high)) < 11)
    }

    @Test func aSingleRunOnEitherSideGivesNoIntervalAndNoClaim() throws {
        let ratio = try #require(RepeatStatistics.ratio([100], to: [1, 1.01, 0.99]))
        #expect(abs(ratio.median - 100 / exp((log(1.0) + log(1.01) + log(0.99)) / 3)) < 1e-9)
        #expect(ratio.low == nil && ratio.high == nil)
        #expect(!ratio.distinguishable)
        #expect(RepeatStatistics.ratio([2], to: [1])?.distinguishable == false)
        #expect(RepeatStatistics.ratio([], to: [1]) == nil)
        #expect(RepeatStatistics.ratio([1, 0], to: [1]) == nil)
    }

    @Test func methodNamesTheModelAndTheReason() {
        #expect(RepeatStatistics.method.contains("t on the logarithms"))
        #expect(RepeatStatistics.method.contains("bootstrap"))
        #expect(RepeatStatistics.method.contains("Welch"))
        #expect(RepeatStatistics.confidence == 0.95)
    }
}
