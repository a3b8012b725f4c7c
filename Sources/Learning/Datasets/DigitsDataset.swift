/// The `digits` dataset: 1,797 handwritten digits as 8×8 images of pixel counts 0–16, ten
/// classes, decoded on demand from the text embedded in `DigitsPixels`.
///
/// Source: the test set of the UCI "Optical Recognition of Handwritten Digits" data
/// (E. Alpaydin & C. Kaynak, 1998; CC BY 4.0), as bundled by scikit-learn. Pixels stay raw
/// (0–16): the trainer standardises features. See DATA-LICENSES.md.
enum DigitsDataset {
    static let featureCount = 64
    static let classCount = 10
    static let source =
        "UCI Optical Recognition of Handwritten Digits (E. Alpaydin & C. Kaynak, 1998), "
        + "test set as bundled by scikit-learn; CC BY 4.0, https://doi.org/10.24432/C50P49"

    /// Decodes the embedded samples.
    ///
    /// - Throws: `LearningError.invalidDataset` if the embedded text is not what the
    ///   generator writes (a damaged `DigitsPixels.swift`); never for a correct build.
    static func makeDataset() throws -> Dataset {
        var pixels: [Float] = []
        pixels.reserveCapacity(DigitsPixels.sampleCount * featureCount)
        var labels: [Float] = []
        labels.reserveCapacity(DigitsPixels.sampleCount)
        var inSample = 0
        for chunk in DigitsPixels.chunks {
            var failure: String?
            chunk.withUTF8Buffer { buffer in
                for byte in buffer where byte != UInt8(ascii: "\n") {
                    if inSample < featureCount {
                        guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "q") else {
                            failure = "pixel byte \(byte) is not a letter a–q"
                            return
                        }
                        pixels.append(Float(byte - UInt8(ascii: "a")))
                        inSample += 1
                    } else {
                        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                            failure = "label byte \(byte) is not a digit"
                            return
                        }
                        labels.append(Float(byte - UInt8(ascii: "0")))
                        inSample = 0
                    }
                }
            }
            if let failure {
                throw LearningError.invalidDataset(
                    name: "digits", reason: "the embedded data is damaged (\(failure)); regenerate it with scripts/embed-digits.py")
            }
        }
        guard labels.count == DigitsPixels.sampleCount, inSample == 0 else {
            throw LearningError.invalidDataset(
                name: "digits",
                reason:
                    "the embedded data holds \(labels.count) whole samples, expected \(DigitsPixels.sampleCount); regenerate it with scripts/embed-digits.py"
            )
        }
        return try Dataset(
            name: "digits",
            features: Tensor(rows: labels.count, columns: featureCount, scalars: pixels),
            targets: Tensor(rows: labels.count, columns: 1, scalars: labels),
            task: .classification(classCount: classCount),
            featureNames: (0..<featureCount).map { "pixel_\($0 / 8)_\($0 % 8)" },
            targetName: "digit",
            evaluationPolicy: .holdOut(fraction: 0.2),
            source: source)
    }
}
