import Testing

@testable import Learning

/// A polynomial run's `epochs` repeats its least-squares fit (the demo's calibrated work): every
/// repeat is counted in the FLOPs, and the fit itself is the same.
@Suite struct PolynomialRepeatsTests {
    @Test func everyRepeatOfTheFitIsCountedInItsFlops() throws {
        let dataset = try DatasetCatalog.load("seed-regression")
        let once = try Trainer(configuration: TrainingConfiguration(model: .polynomial(degree: 2), epochs: 1), dataset: dataset).train()
        let seven = try Trainer(configuration: TrainingConfiguration(model: .polynomial(degree: 2), epochs: 7), dataset: dataset).train()
        #expect(once.flops.flops(in: .forward) > 0 && once.flops.flops(in: .optimizer) > 0)
        #expect(seven.flops.flops(in: .forward) == 7 * once.flops.flops(in: .forward))
        #expect(seven.flops.flops(in: .optimizer) == 7 * once.flops.flops(in: .optimizer))
        // The metrics are evaluated once, after the last fit.
        #expect(seven.flops.flops(in: .evaluation) == once.flops.flops(in: .evaluation))
        #expect(seven.coefficients == once.coefficients)
    }
}
