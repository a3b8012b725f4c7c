import Energy
import Foundation
import Testing

@testable import EnergyAgent

@Suite struct AgentLinesTests {
    @Test func readingLineWrittenByHandDecodesAsTheWireMessage() throws {
        let reading = AgentWire.Reading(
            seconds: 12345.678_9, microjoules: [0, UInt64.max, 42], bridgedMicrojoules: [0, 1, 2], unreadable: [false, true, false])
        let line = AgentLines.reading(reading)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
        let decoded = try JSONDecoder().decode(AgentWire.Message.self, from: Data(line))
        #expect(decoded == AgentWire.Message(reading: reading))
    }

    @Test func tinyAndHugeSecondsStayValidJSON() throws {
        for seconds in [1e-7, 0, 3.5e12] {
            let reading = AgentWire.Reading(seconds: seconds, microjoules: [], bridgedMicrojoules: [], unreadable: [])
            let decoded = try JSONDecoder().decode(AgentWire.Message.self, from: Data(AgentLines.reading(reading)))
            #expect(decoded.reading?.seconds == seconds)
        }
    }

    @Test func tokenBucketAllowsTheBurstThenTheRate() {
        var bucket = TokenBucket(perSecond: 200, burst: 100, nowSeconds: 10)
        func taken(_ count: Int, atSeconds seconds: Double) -> Int {
            (0..<count).reduce(0) { total, _ in total + (bucket.take(atSeconds: seconds) ? 1 : 0) }
        }
        #expect(taken(101, atSeconds: 10) == 100)
        // 50 ms refill 10 tokens.
        #expect(taken(11, atSeconds: 10.05) == 10)
        // A long pause refills to the burst, not beyond.
        #expect(taken(101, atSeconds: 100) == 100)
    }

    @Test func refusalLogKeepsTenLinesAMinuteThenCountsTheRest() {
        var log = RefusalLog(perMinute: 10)
        let first = (0..<25).flatMap { log.lines(for: "refused \($0)", atSeconds: 5) }
        #expect(first == (0..<10).map { "refused \($0)" })
        let next = log.lines(for: "refused again", atSeconds: 70)
        #expect(next.count == 2)
        #expect(next.first?.contains("15 more refusal(s)") == true)
        #expect(next.last == "refused again")
    }
}
