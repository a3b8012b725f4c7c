import Testing
@testable import Learning

@Suite("digits dataset")
struct DigitsTests {
    @Test func holds1797SamplesOf64PixelsInTenClasses() throws {
        let dataset = try DatasetCatalog.load("digits")
        #expect(dataset.sampleCount == 1797)
        #expect(dataset.features.columns == 64)
        #expect(dataset.task == .classification(classCount: 10))
        #expect(dataset.evaluationPolicy == .holdOut(fraction: 0.2))
        #expect(dataset.featureNames.first == "pixel_0_0")
        #expect(dataset.featureNames.last == "pixel_7_7")
        #expect(dataset.source?.contains("CC BY 4.0") == true)
    }

    /// Class counts of scikit-learn's `load_digits()` (`numpy.bincount(target)`).
    @Test func hasScikitLearnsClassBalance() throws {
        let dataset = try DatasetCatalog.load("digits")
        var counts = [Int](repeating: 0, count: 10)
        for label in dataset.labels { counts[label] += 1 }
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    /// The first two rows of sklearn/datasets/data/digits.csv.gz (a 0 and a 1).
    @Test func decodesTheFirstRowsExactly() throws {
        let dataset = try DatasetCatalog.load("digits")
        let zero: [Float] = [
            0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
            0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
        ]
        #expect(Array(dataset.features.row(0)) == zero)
        #expect(Array(dataset.features.row(1).prefix(8)) == [0, 0, 0, 12, 13, 5, 0, 0])
        #expect(Array(dataset.labels.prefix(10)) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func keepsRawPixelCountsFromZeroToSixteen() throws {
        let pixels = try DatasetCatalog.load("digits").features.scalars
        #expect(pixels.min() == 0)
        #expect(pixels.max() == 16)
        #expect(pixels.allSatisfy { $0 == $0.rounded() })
    }

    /// The generator script hashed the values it read from the CSV; decoding must reproduce
    /// that hash, so not one pixel differs from the source file.
    @Test func reproducesTheGeneratorsChecksum() throws {
        let dataset = try DatasetCatalog.load("digits")
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for row in 0..<dataset.sampleCount {
            for value in dataset.features.row(row) {
                hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ UInt64(dataset.labels[row])) &* 0x0000_0100_0000_01B3
        }
        #expect(hash == DigitsPixels.checksum)
    }
}
