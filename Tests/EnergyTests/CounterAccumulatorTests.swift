import Testing

@testable import Energy

@Suite struct CounterAccumulatorTests {
    @Test func firstReadingIsOnlyABaseline() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: 1_000_000, peakWatts: 100)
        #expect(counter.ingest(counts: 900_000, atSeconds: 0).joules == 0)
        #expect(counter.joules == 0)
    }

    @Test func wrapsCounterOnceWhenReadingGoesBackwards() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: 1_000_000, peakWatts: 100)
        _ = counter.ingest(counts: 900_000, atSeconds: 0)
        let result = counter.ingest(counts: 100_000, atSeconds: 1)
        #expect(result.event == .wrapped)
        #expect(abs(counter.joules - 0.2) < 1e-12)
    }

    @Test func dropsIntervalWhenCounterResetsWithoutKnownRange() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 100)
        _ = counter.ingest(counts: 5_000_000, atSeconds: 0)
        _ = counter.ingest(counts: 6_000_000, atSeconds: 1)
        let reset = counter.ingest(counts: 200_000, atSeconds: 2)
        #expect(reset.event == .droppedBackwards(seconds: 1))
        #expect(abs(counter.joules - 1) < 1e-12, "the interval with the reset adds nothing, never a negative")
        _ = counter.ingest(counts: 1_200_000, atSeconds: 3)
        #expect(abs(counter.joules - 2) < 1e-12, "counting resumes from the new baseline")
    }

    @Test func rejectsAnIntervalImplyingMoreThanThePeakPower() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 100)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        let glitch = counter.ingest(counts: 500_000_000, atSeconds: 1)
        guard case .droppedImplausible(let watts, _)? = glitch.event else {
            Issue.record("expected the 500 W interval to be dropped, got \(String(describing: glitch.event))")
            return
        }
        #expect(watts == 500)
        #expect(counter.joules == 0)
    }

    @Test func judgesPowerOverAtLeastTenMillisecondsSoBackToBackReadsAreKept() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 100)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        // 0.1 J a microsecond apart is 100 kW instantaneous, but one RAPL update at 100 W is 0.1 J.
        #expect(counter.ingest(counts: 100_000, atSeconds: 0.000001).event == nil)
        #expect(abs(counter.joules - 0.1) < 1e-12)
    }

    @Test func integratesSampledPowerWithTheTrapezoidRule() {
        var integrator = PowerIntegrator()
        _ = integrator.ingest(watts: 100, atSeconds: 0)
        _ = integrator.ingest(watts: 200, atSeconds: 2)
        #expect(integrator.joules == 300)
    }
}
