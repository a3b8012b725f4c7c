import Foundation
import Learning
import Testing

@testable import Footprint

/// The event parser and line splitter fed random and extreme input from a seeded generator:
/// no crash, every accepted value inside its domain, bounded time.
@Suite struct EventParserFuzzTests {

    static let keys = [
        "index", "epoch", "samples", "loss", "trainLoss", "train_loss", "val_loss", "validationLoss", "accuracy", "acc", "mse", "r2",
        "name", "event", "lr",
    ]

    /// A JSON value as text, often extreme, sometimes not JSON at all.
    static func value(_ random: inout SeededGenerator) -> String {
        let extremes = [
            "1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "-4.9e-324", "2.2250738585072014e-308", "0", "-0", "1e19", "-1e19",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1e300", "-5", "0.5",
            "1", "3", "999999999", "1000000000", "1e15", "1e16", "NaN", "Infinity", "-Infinity", "1e999", "true", "false", "null",
            "\"0.1\"", "\"\"", "[]", "[1,2]", "{}", "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\"", "\"\u{1F600}\"", "1.5", "-1",
        ]
        switch random.next() % 4 {
        case 0:
            let bits = random.next()
            let double = Double(bitPattern: bits)
            return double.isFinite ? "\(double)" : "1e400"
        case 1: return "\(Int64(bitPattern: random.next()))"
        default: return extremes[Int(random.next() % UInt64(extremes.count))]
        }
    }

    static func line(_ random: inout SeededGenerator) -> String {
        switch random.next() % 10 {
        case 0:
            let count = Int(random.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            let depth = Int(random.next() % 2000)
            return String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        default:
            let epoch = random.next() % 2 == 0
            var fields = [epoch ? #""event":"epoch""# : #""event":"phase""#]
            // Most lines get a plausible index or name, so the accepting paths are reached.
            if random.next() % 10 < 7 { fields.append(epoch ? "\"index\":\(random.next() % 100)" : #""name":"eval""#) }
            for _ in 0..<Int(random.next() % 4) {
                fields.append("\"\(keys[Int(random.next() % UInt64(keys.count))])\":\(value(&random))")
            }
            return "{" + fields.shuffled(using: &random).joined(separator: ",") + "}"
        }
    }

    @Test func randomAndExtremeLinesNeverCrashAndAcceptOnlyValuesInTheirDomain() {
        var random = SeededGenerator(seed: 0x5EED_F00D)
        var accepted = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20_000 {
                let text = Self.line(&random)
                var warnings = 0
                guard case .success(let event) = ProgramEvent.parse(text, warn: { _ in warnings += 1 }) else { continue }
                accepted += 1
                #expect(warnings <= 12)
                guard case .epoch(let epoch) = event else { continue }
                let metrics = epoch.quality
                #expect((0...EventLimits.maximumIndex).contains(epoch.index), "\(text)")
                if let samples = epoch.samples { #expect(samples >= 0 && Double(samples) <= EventLimits.maximumSamples, "\(text)") }
                for loss in [metrics.trainLoss, metrics.validationLoss].compactMap({ $0 }) {
                    #expect(loss.isFinite && abs(loss) <= EventLimits.maximumLoss, "\(text)")
                }
                if let mse = metrics.mse {
                    #expect(mse.isFinite && mse >= 0 && mse <= EventLimits.maximumLoss, "\(text)")
                }
                if let accuracy = metrics.accuracy { #expect((0...1).contains(accuracy), "\(text)") }
                if let r2 = metrics.r2 { #expect(r2 >= EventLimits.minimumR2 && r2 <= 1, "\(text)") }
            }
        }
        #expect(accepted > 2_000, "the generator should reach the accepting paths too")
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    /// Random bytes cut into random reads give the same lines as splitting the whole at once,
    /// and no line is ever longer than the limit.
    @Test func randomChunksSplitLikeTheWholeStream() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            var stream: [UInt8] = []
            for _ in 0..<Int(random.next() % 40) {
                let length = Int(random.next() % 300)
                let alphabet = Array("{}\"a:1 \té".utf8)
                stream += (0..<length).map { _ in
                    random.next() % 50 == 0
                        ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                if random.next() % 5 != 0 { stream.append(0x0A) }
            }
            func lines(cuts: [Int]) -> [EventChannelLine] {
                var splitter = EventLineSplitter(limitBytes: 128)
                var result: [EventChannelLine] = []
                var start = 0
                for cut in cuts + [stream.count] where cut >= start {
                    stream[start..<cut].withUnsafeBytes { splitter.feed($0) { result.append($0) } }
                    start = cut
                }
                splitter.finish { result.append($0) }
                return result
            }
            let whole = lines(cuts: [])
            let cuts = (0..<Int(random.next() % 10)).map { _ in Int(random.next() % UInt64(stream.count + 1)) }.sorted()
            #expect(lines(cuts: cuts) == whole)
            for line in whole {
                if case .text(let text) = line { #expect(text.utf8.count <= 128 && !text.isEmpty) }
            }
        }
    }
}
