import Testing
@testable import Learning

/// Seeded random-input fuzzing of the CSV and IDX parsers (issue 7, "Fuzzing"): random byte
/// strings and mutations of valid files must each load or throw a `LearningError`; a crash,
/// a trap or a hang fails the suite. Iterations are sized to stay within a couple of seconds
/// in a debug build; raise `FOOTPRINT_FUZZ_ITERATIONS` (and vary `FOOTPRINT_FUZZ_SEED`) for a
/// longer run.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    private static let iterations = Int(Environment.value("FOOTPRINT_FUZZ_ITERATIONS") ?? "") ?? 6000
    /// Added to each test's seed; set `FOOTPRINT_FUZZ_SEED` to explore other inputs.
    private static let seedOffset = UInt64(Environment.value("FOOTPRINT_FUZZ_SEED") ?? "") ?? 0

    /// Bytes that matter to a CSV parser, drawn more often than the others.
    private static let csvAlphabet = Array("0123456789.,-+eE;\t\"\r\n abcnaif".utf8) + [0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]

    @Test func csvParserLoadsOrThrowsLearningErrorOnRandomInput() {
        var random = SeededGenerator(seed: 0xF022_C5F0 &+ Self.seedOffset)
        let valid = Array("x1,x2,label\n1.5,2,cat\n-3,4e2,dog\n\"5\",6,\"c,a\"\"t\"\n".utf8)
        var loaded = 0
        for iteration in 0..<Self.iterations {
            let bytes =
                iteration % 2 == 0
                ? Self.randomBytes(&random, alphabet: Self.csvAlphabet, maximumCount: 120)
                : Self.mutate(valid, &random)
            let label: String? = random.next() % 3 == 0 ? "x2" : nil
            let task = TaskHint.allCases[Int(random.next() % 3)]
            do {
                let result = try CSVLoader.parse(bytes, path: "fuzz.csv", labelColumn: label, task: task)
                #expect(result.dataset.sampleCount > 0)
                #expect(result.dataset.features.scalars.allSatisfy { $0.isFinite })
                loaded += 1
            } catch is LearningError {
                continue
            } catch {
                Issue.record("iteration \(iteration): unexpected error \(error) for bytes \(bytes)")
            }
        }
        // The mutations of a valid file must sometimes still load, or the fuzzer only ever
        // exercises the first check.
        #expect(loaded > Self.iterations / 50)
    }

    @Test func idxParserLoadsOrThrowsLearningErrorOnRandomInput() {
        var random = SeededGenerator(seed: 0x1D_F022 &+ Self.seedOffset)
        let images = DatasetTestSupport.idx(dimensions: [4, 2, 3], data: (0..<24).map { UInt8($0 * 10) })
        let labels = DatasetTestSupport.idx(dimensions: [4], data: [0, 3, 1, 2])
        var loaded = 0
        for iteration in 0..<Self.iterations {
            var imageBytes = images
            var labelBytes = labels
            switch iteration % 4 {
            case 0: imageBytes = Self.mutate(images, &random)
            case 1: labelBytes = Self.mutate(labels, &random)
            case 2:
                imageBytes = Self.randomBytes(&random, alphabet: [0, 0, 0, 8, 3, 1, 2, 4, 0xFF], maximumCount: 40)
            default:
                imageBytes = Self.mutate(images, &random)
                labelBytes = Self.mutate(labels, &random)
            }
            let classCount: Int? = random.next() % 2 == 0 ? nil : Int(random.next() % 300)
            do {
                let dataset = try IDXLoader.parse(
                    images: imageBytes, imagesPath: "i", labels: labelBytes, labelsPath: "l", classCount: classCount)
                #expect(dataset.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
                loaded += 1
            } catch is LearningError {
                continue
            } catch {
                Issue.record("iteration \(iteration): unexpected error \(error)")
            }
        }
        #expect(loaded > Self.iterations / 50)
    }

    private static func randomBytes(_ random: inout SeededGenerator, alphabet: [UInt8], maximumCount: Int) -> [UInt8] {
        let count = Int(random.next() % UInt64(maximumCount + 1))
        return (0..<count).map { _ in
            random.next() % 8 == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
        }
    }

    /// One to three edits: flip a byte, insert one, delete one, or cut the tail.
    private static func mutate(_ original: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = original
        for _ in 0...(random.next() % 3) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes.removeLast(Int(random.next() % UInt64(bytes.count / 4 + 1)))
            default: break
            }
        }
        return bytes
    }
}

/// Reads the environment without Foundation's `ProcessInfo`, which this suite needs nowhere else.
private enum Environment {
    static func value(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        return String(cString: pointer)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
