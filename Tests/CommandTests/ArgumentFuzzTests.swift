import Foundation
import Learning
import Testing
@testable import FootprintCommand

/// The command-line parser fuzzed with seeded random argument vectors: every vector either
/// parses or is refused with an error; none crashes or hangs.
@Suite struct ArgumentFuzzTests {
    static let words = [
        "train", "wrap", "runs", "show", "report", "compare", "estimate", "export", "delete", "meters", "bench", "demo",
        "--model", "poly", "mlp", "--degree", "--layers", "--hidden", "--dataset", "terrain", "digits", "csv:", "idx:a,b",
        "--epochs", "--batch-size", "--lr", "--optimizer", "sgd", "adam", "--seed", "--json", "--db", "--country", "FRA",
        "--pue", "datacentre", "--intensity", "--interval", "--baseline", "--limit", "--status", "--format", "csv", "--",
        "-o", "--arch", "alexnet", "mlp:1-2-3", "--samples", "--threads", "-1", "0", "1", "1e308", "nan", "-inf", "",
        "--help", "-h", "--version", "é", "\u{0}", "--tag", "--yes", "--embodied-kg", "--lifetime-years", "999999999999999999999",
    ]

    @Test func randomArgumentVectorsNeverCrashTheParser() {
        var generator = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["FOOTPRINT_FUZZ_SEED"] ?? "") ?? 7)
        let iterations = Int(ProcessInfo.processInfo.environment["FOOTPRINT_FUZZ_ITERATIONS"] ?? "") ?? 800
        var parsed = 0, refused = 0
        for _ in 0..<iterations {
            let count = Int(generator.next() % 7)
            var arguments: [String] = []
            for _ in 0..<count {
                var word = Self.words[Int(generator.next() % UInt64(Self.words.count))]
                if generator.next() % 8 == 0 { word += String(UnicodeScalar(UInt8(generator.next() % 128))) }
                arguments.append(word)
            }
            do {
                _ = try FootprintCommand.parseAsRoot(arguments)
                parsed += 1
            } catch {
                // Rendering the message must not crash either.
                _ = FootprintCommand.message(for: error)
                refused += 1
            }
        }
        #expect(parsed + refused == iterations)
        #expect(parsed > 0 && refused > 0)  // the vocabulary reaches both outcomes
    }
}
