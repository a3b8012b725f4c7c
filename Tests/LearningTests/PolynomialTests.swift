import Testing
@testable import Learning

@Suite struct PolynomialTests {
    static let x = [-3.1, 1.2, 4.3, 6.2, 9.1]
    static let y = [23.7, 31.3, 79.9, 101.9, 205.5]

    /// Reference coefficients from NumPy 2.4 (`numpy.polynomial.polynomial.polyfit(x, y, d)`,
    /// which solves by SVD-based lstsq on a scaled Vandermonde matrix): an independent method.
    static let numpy: [Int: [Double]] = [
        1: [38.50234648027959, 14.112331502745874],
        2: [22.16056244354623, 4.362900674804502, 1.6862779086028872],
        3: [28.64580851836021, 4.086183778893464, 0.9803931810686455, 0.07563382008452073],
        4: [9.164320986259847, 16.36991680318388, 2.8289720197754518, -1.0168612017936876, 0.0844884732554252],
    ]

    @Test(arguments: 1...4)
    func fitOnTheLectureFivePointsMatchesNumPy(degree: Int) throws {
        var model = try PolynomialRegression(degree: degree)
        try model.fit(x: Self.x, y: Self.y)
        let expected = try #require(Self.numpy[degree])
        #expect(model.coefficients.count == degree + 1)
        for (got, want) in zip(model.coefficients, expected) {
            #expect(abs(got - want) <= 1e-8 * max(1, abs(want)), "degree \(degree): \(got) vs \(want)")
        }
    }

    @Test func degreeFourInterpolatesTheFivePointsExactly() throws {
        var model = try PolynomialRegression(degree: 4)
        try model.fit(x: Self.x, y: Self.y)
        for (input, target) in zip(Self.x, Self.y) { #expect(abs(model.predict(input) - target) < 1e-9) }
    }

    @Test func degreeTheDataCannotDetermineIsRejectedWithAdvice() throws {
        var model = try PolynomialRegression(degree: 5)
        #expect(throws: LearningError.self) { try model.fit(x: Self.x, y: Self.y) }
        do { try model.fit(x: Self.x, y: Self.y) } catch {
            #expect("\(error)".contains("at least 6 distinct x values"))
        }
    }

    @Test func duplicatedXValuesCountOnceTowardsTheDegree() throws {
        var model = try PolynomialRegression(degree: 2)
        #expect(throws: LearningError.self) { try model.fit(x: [1, 1, 2, 2], y: [1, 2, 3, 4]) }
        var line = try PolynomialRegression(degree: 1)
        try line.fit(x: [1, 1, 2, 2], y: [1, 3, 5, 7])  // averages: (1, 2) and (2, 6)
        #expect(abs(line.coefficients[0] - (-2)) < 1e-9 && abs(line.coefficients[1] - 4) < 1e-9)
    }

    @Test func negativeDegreeIsAnInvalidHyperparameter() {
        #expect(throws: LearningError.self) { _ = try PolynomialRegression(degree: -1) }
    }

    @Test func highDegreeOnWideRangeStaysAccurateThanksToScaling() throws {
        // x in the thousands: an unscaled Vandermonde matrix would be hopelessly ill-conditioned.
        let xs = (0..<40).map { 1000.0 + Double($0) * 25 }
        let truth: (Double) -> Double = { x in
            let t = (x - 1500) / 500; return 3 - 2 * t + 0.5 * t * t * t
        }
        var model = try PolynomialRegression(degree: 3)
        try model.fit(x: xs, y: xs.map(truth))
        for x in xs { #expect(abs(model.predict(x) - truth(x)) < 1e-8) }
    }
}
