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

    /// 10 W read every 0.1 s; the counter restarts between 0.2 s and 0.3 s.
    @Test func aResetWithoutKnownRangeLosesOnlyItsIntervalBridgedFromThePowerEitherSide() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 100, guessedRanges: GuessedRange.rapl)
        _ = counter.ingest(counts: 5_000_000, atSeconds: 0)
        _ = counter.ingest(counts: 6_000_000, atSeconds: 0.1)
        _ = counter.ingest(counts: 7_000_000, atSeconds: 0.2)
        let reset = counter.ingest(counts: 200_000, atSeconds: 0.3)
        guard case .lost(.reset(let from, let to))? = reset.event else {
            Issue.record("expected a reset, got \(String(describing: reset.event))")
            return
        }
        #expect(abs(from - 7) < 1e-9 && abs(to - 0.2) < 1e-9)
        #expect(abs(counter.joules - 2) < 1e-9, "nothing added until the power after the gap is known")
        _ = counter.ingest(counts: 1_200_000, atSeconds: 0.4)
        #expect(abs(counter.joules - 4) < 1e-9, "2 J before, 1 J bridged over 0.1 s at 10 W, 1 J after")
        let incident = counter.incidents.first
        #expect(counter.incidents.count == 1)
        #expect(abs((incident?.bridgedJoules ?? 0) - 1) < 1e-9)
        #expect(abs((incident?.bridgedSeconds ?? 0) - 0.1) < 1e-9)
        #expect(abs((incident?.wattsBefore ?? 0) - 10) < 1e-9 && abs((incident?.wattsAfter ?? 0) - 10) < 1e-9)
    }

    @Test func aStepBackWithAKnownRangeIsAGlitchNotAWrap() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: 262_143_328_850, peakWatts: 1500)
        _ = counter.ingest(counts: 50_000_000, atSeconds: 0)
        _ = counter.ingest(counts: 51_000_000, atSeconds: 0.1)
        let step = counter.ingest(counts: 47_000_000, atSeconds: 0.2)
        guard case .lost(.stepBack(let joules, let wrapWatts))? = step.event else {
            Issue.record("expected a step back, got \(String(describing: step.event))")
            return
        }
        #expect(abs(joules - 4) < 1e-9)
        #expect((wrapWatts ?? 0) > 1e6, "a wrap would be 262 kJ in 0.1 s")
        _ = counter.ingest(counts: 48_000_000, atSeconds: 0.3)
        #expect(abs(counter.joules - 3) < 1e-9, "1 J before, 1 J bridged, 1 J after")
    }

    @Test func aJumpAboveThePeakPowerIsLostAndBridgedFromThePowerAfter() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 100)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        let glitch = counter.ingest(counts: 500_000_000, atSeconds: 1)
        #expect(glitch.event == .lost(.jump(joules: 500, watts: 500, overSeconds: 1)))
        #expect(counter.joules == 0)
        _ = counter.ingest(counts: 550_000_000, atSeconds: 2)
        #expect(abs(counter.joules - 100) < 1e-9, "50 J bridged at the 50 W seen after, 50 J counted")
    }

    @Test func aWrapWithoutRangeIsReadAtTheRAPLRangeWhosePowerIsPlausible() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 1500, guessedRanges: GuessedRange.rapl)
        _ = counter.ingest(counts: 262_143_328_850 - 1_000_000, atSeconds: 0)
        let wrap = counter.ingest(counts: 2_000_000, atSeconds: 0.1)
        #expect(wrap.event == .wrappedWithoutRange(rangeJoules: 262_143.328_85))
        #expect(abs(counter.joules - 3) < 1e-9, "counted in full: 30 W")
        #expect(counter.incidents.first?.bridgedJoules == 0)
        #expect(GuessedRange.rapl.contains { $0.microjoules == 65_532_610_987 }, "2^32 counts of 2^-16 J, as Linux shows it")
    }

    @Test func aFailedReadIsRetriedAndWhatTheCounterCountedMeanwhileIsKept() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: 262_143_328_850, peakWatts: 1500)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        #expect(counter.failRead(atSeconds: 0.1, reason: "Is a directory (errno 21)") == .readFailed(reason: "Is a directory (errno 21)"))
        #expect(counter.failRead(atSeconds: 0.2, reason: "Is a directory (errno 21)") == nil, "one event per failure, not per read")
        #expect(counter.isFailing)
        #expect(counter.ingest(counts: 4_000_000, atSeconds: 0.4).event == .readAgain)
        #expect(!counter.isFailing)
        #expect(abs(counter.joules - 4) < 1e-9)
        #expect(counter.incidents.first?.bridgedSeconds == 0)
    }

    @Test func aCounterNeverReadAgainIsBridgedToTheEndFromThePowerBefore() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 1500)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        _ = counter.ingest(counts: 2_000_000, atSeconds: 1)
        _ = counter.failRead(atSeconds: 1.5, reason: "gone")
        counter.settle(atSeconds: 3)
        #expect(abs(counter.joules - 6) < 1e-9, "2 J counted, 2 s bridged at 2 W")
        #expect(counter.incidents.first?.unreadableToTheEnd == true)
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

extension CounterAccumulatorTests {
    /// 10 W read every 0.1 s, the read failing every other time for 100 s.
    @Test func aCounterFailingEveryOtherReadKeepsTwentyIncidentsAndSumsTheRest() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 1500)
        var seconds = 0.0
        var counts: UInt64 = 0
        _ = counter.ingest(counts: counts, atSeconds: seconds)
        for _ in 0..<500 {
            seconds += 0.1
            counts += 1_000_000
            _ = counter.failRead(atSeconds: seconds, reason: "flap")
            seconds += 0.1
            counts += 1_000_000
            _ = counter.ingest(counts: counts, atSeconds: seconds)
        }
        #expect(counter.incidents.count == CounterAccumulator.keptIncidents)
        #expect(counter.folded.count == 480)
        #expect(abs(counter.joules - 1000) < 1e-6, "every gap counted through: nothing lost, nothing bridged")
        #expect(abs(counter.folded.countedJoules - 480 * 2) < 1e-6)
    }
}

extension CounterAccumulatorTests {
    /// 10 W; the counter restarts twice 30 ms apart, before the power after the first restart
    /// is known: one incident, two lost intervals, and the 0.2 J counted between them kept once.
    @Test func twoResetsBeforeTheFirstIsBridgedBridgeOnlyTheirOwnIntervals() {
        var counter = CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: 1500)
        _ = counter.ingest(counts: 0, atSeconds: 0)
        _ = counter.ingest(counts: 1_000_000, atSeconds: 0.1)
        _ = counter.ingest(counts: 20_000, atSeconds: 0.11)
        _ = counter.ingest(counts: 220_000, atSeconds: 0.13)
        _ = counter.ingest(counts: 100_000, atSeconds: 0.14)
        _ = counter.ingest(counts: 1_100_000, atSeconds: 0.24)
        #expect(counter.incidents.count == 1)
        #expect(abs((counter.incidents.first?.bridgedSeconds ?? 0) - 0.02) < 1e-9)
        #expect(abs(counter.joules - 2.4) < 1e-9, "10 W over 0.24 s, got \(counter.joules) J")
    }
}
