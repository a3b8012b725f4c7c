import Foundation
import Testing

@testable import Statistics

@Suite struct StudentTTests {
    /// 0.975 quantiles from tables, and to 1e-9 from mpmath's incomplete beta.
    @Test(arguments: [
        (1.0, 12.706204736174704), (2, 4.302652729749464), (4, 2.776445105197794), (30, 2.042272456301238),
        (1000, 1.962339080826408), (2.5, 3.574654842003683), (7.3, 2.345066736547704),
    ])
    func matchesTheTableAtTheTwoSidedNinetyFivePercentPoint(degrees: Double, expected: Double) {
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: degrees) - expected) < 1e-9)
    }

    @Test func closedFormsForOneAndTwoDegreesOfFreedom() {
        // ν = 1 is Cauchy: tan(π(p − ½)); ν = 2: (2p − 1)·√(2 / (1 − (2p − 1)²)).
        for p in [0.6, 0.9, 0.975, 0.999] {
            #expect(abs(StudentT.quantile(p, degreesOfFreedom: 1) / tan(.pi * (p - 0.5)) - 1) < 1e-12)
            let a = 2 * p - 1
            #expect(abs(StudentT.quantile(p, degreesOfFreedom: 2) / (a * (2 / (1 - a * a)).squareRoot()) - 1) < 1e-12)
        }
    }

    @Test func tendsToTheNormalQuantileForManyDegreesOfFreedom() {
        let z = 1.959963984540054
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: .infinity) - z) < 1e-12)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e9) - z) < 1e-8)
        // Either side of the switch to the expansion agrees.
        let below = StudentT.quantile(0.975, degreesOfFreedom: StudentT.expansionDegreesOfFreedom)
        let above = StudentT.quantile(0.975, degreesOfFreedom: StudentT.expansionDegreesOfFreedom * 1.000001)
        #expect(abs(below - above) < 1e-10)
        #expect(abs(below - 1.9599877075346096) < 1e-10)  // mpmath
    }

    @Test func isAntisymmetricAndHandlesTheEnds() {
        #expect(StudentT.quantile(0.025, degreesOfFreedom: 4) == -StudentT.quantile(0.975, degreesOfFreedom: 4))
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 3) == 0)
        #expect(StudentT.quantile(1, degreesOfFreedom: 3) == .infinity)
        #expect(StudentT.quantile(0, degreesOfFreedom: 3) == -.infinity)
        #expect(StudentT.quantile(1.2, degreesOfFreedom: 3).isNaN)
        #expect(StudentT.quantile(0.9, degreesOfFreedom: 0).isNaN)
        #expect(StudentT.quantile(0.9, degreesOfFreedom: -1).isNaN)
        // A heavy tail with fractional ν (scipy: t.ppf(0.995, 0.5) = 4113.96…).
        #expect(abs(StudentT.quantile(0.995, degreesOfFreedom: 0.5) / 4113.964588804181 - 1) < 1e-9)
    }
}
