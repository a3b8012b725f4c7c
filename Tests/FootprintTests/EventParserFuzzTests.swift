import Foundation
import Learning
import Testing
import Vocabulary

@testable import Footprint

/// The event parser and line splitter fed random and extreme input from a seeded generator:
/// no crash, every accepted value inside its domain, bounded time.
@Suite struct EventParserFuzzTests {

    static let keys = [
        "index", "epoch", "samples", "loss", "trainLoss", "train_loss", "val_loss", "validationLoss", "accuracy", "acc", "mse", "r2",
        "name", "event", "lr", "parameters", "flops_per_sample", "mlflow_run_id", "mlflow_tracking_uri", "optimizer",
        String(repeating: "k", count: 101),
    ]

    /// The events a line names, with the key that most lines of each get a plausible value for.
    static let events: [(name: String, plausible: String?)] = [
        ("epoch", #""index":7"#), ("phase", #""name":"eval""#), ("model", #""name":"mlp","parameters":19210"#),
        ("train_begin", nil), ("result", nil), ("tracking", #""mlflow_run_id":"0123abcd""#),
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
            let event = events[Int(random.next() % UInt64(events.count))]
            var fields = ["\"event\":\"\(event.name)\""]
            // Most lines get a plausible index, name or id, so the accepting paths are reached.
            if let plausible = event.plausible, random.next() % 10 < 7 { fields.append(plausible) }
            for _ in 0..<Int(random.next() % 4) {
                fields.append("\"\(keys[Int(random.next() % UInt64(keys.count))])\":\(value(&random))")
            }
            return "{" + fields.shuffled(using: &random).joined(separator: ",") + "}"
        }
    }

    @Test func randomAndExtremeLinesNeverCrashAndAcceptOnlyValuesInTheirDomain() {
        var random = SeededGenerator(seed: 0x5EED_F00D)
        var accepted = 0
        var kinds: Set<String> = []
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20_000 {
                let text = Self.line(&random)
                var warnings = 0
                guard case .success(let event) = ProgramEvent.parse(text, warn: { _ in warnings += 1 }) else { continue }
                accepted += 1
                kinds.insert(String(String(describing: event).prefix { $0 != "(" }))
                #expect(warnings <= 12)
                let metrics: QualityMetrics
                switch event {
                case .epoch(let epoch, let extraFacts):
                    metrics = epoch.quality
                    Self.check(extraFacts, text, known: EventFields.epochKeys)
                    #expect((0...EventLimits.maximumIndex).contains(epoch.index), "\(text)")
                    if let samples = epoch.samples { #expect(samples >= 0 && Double(samples) <= EventLimits.maximumSamples, "\(text)") }
                case .result(let quality, let extraFacts):
                    metrics = quality
                    Self.check(extraFacts, text, known: EventFields.epochKeys)
                case .model(let model, let extraFacts):
                    Self.check(extraFacts, text, known: EventFields.modelKeys)
                    #expect(!model.name.isEmpty && model.name.count <= EventLimits.modelNameCharacters, "\(text)")
                    #expect(model.parameters >= 0 && Double(model.parameters) <= EventLimits.maximumParameters, "\(text)")
                    if let flops = model.flopsPerSample {
                        #expect(flops >= 0 && Double(flops) <= EventLimits.maximumFlopsPerSample, "\(text)")
                    }
                    continue
                case .tracking(let runID, let uri):
                    #expect(!runID.isEmpty && runID.count <= EventLimits.trackingRunIDCharacters, "\(text)")
                    if let uri { #expect(!uri.isEmpty && uri.count <= EventLimits.trackingURICharacters, "\(text)") }
                    continue
                case .phase, .trainBegin: continue
                }
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
        #expect(kinds == ["epoch", "phase", "model", "trainBegin", "result", "tracking"])
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    /// Extra facts are bounded: few keys, short keys and strings, finite numbers.
    static func check(_ facts: [String: ExtraFact], _ text: String, known: Set<String>) {
        #expect(facts.count <= ExtraFact.maximumCount, "\(text)")
        for (key, fact) in facts {
            #expect(key.count <= ExtraFact.maximumKeyLength && !known.contains(key), "\(text)")
            switch fact {
            case .number(let number): #expect(number.isFinite, "\(text)")
            case .text(let string): #expect(string.count <= ExtraFact.maximumTextLength, "\(text)")
            case .flag: break
            }
        }
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
