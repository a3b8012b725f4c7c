/// Loads images and labels stored in IDX files, the format of MNIST and Fashion-MNIST.
///
/// The images file holds N samples of unsigned bytes (magic 00 00 08 03: N×rows×columns; a
/// 2-dimensional N×features file is accepted too); the labels file holds N class indices
/// (magic 00 00 08 01). Pixels are scaled from 0…255 to [0, 1]. Gzip-compressed files
/// (`*.gz`, as downloaded) must be decompressed first.
///
///     let mnist = try IDXLoader.load(imagesPath: "train-images-idx3-ubyte", labelsPath: "train-labels-idx1-ubyte")
public enum IDXLoader {
    /// Loads an images file and its labels file.
    ///
    /// - Parameters:
    ///   - imagesPath: The IDX images file.
    ///   - labelsPath: The IDX labels file, one label per image.
    ///   - classCount: The number of classes; `nil` takes the largest label plus one.
    /// - Returns: A classification dataset named `idx:IMAGES,LABELS`, holding out 20%.
    /// - Throws: `LearningError.malformedFile` naming the file, the byte offset and the problem.
    public static func load(imagesPath: String, labelsPath: String, classCount: Int? = nil) throws -> Dataset {
        let images = try DataFile.read(path: imagesPath)
        let labels = try DataFile.read(path: labelsPath)
        return try parse(images: images, imagesPath: imagesPath, labels: labels, labelsPath: labelsPath, classCount: classCount)
    }

    /// Parses IDX images and labels already in memory; the paths are used in the name and errors.
    ///
    /// - Parameters:
    ///   - images: The images file's contents.
    ///   - imagesPath: Its name.
    ///   - labels: The labels file's contents.
    ///   - labelsPath: Its name.
    ///   - classCount: The number of classes; `nil` takes the largest label plus one.
    /// - Returns: The classification dataset.
    /// - Throws: `LearningError.malformedFile` naming the file, the byte offset and the problem.
    public static func parse(
        images: [UInt8], imagesPath: String, labels: [UInt8], labelsPath: String, classCount: Int? = nil
    ) throws -> Dataset {
        let imageFile = try IDXFile(bytes: images, path: imagesPath, allowedDimensionCounts: 2...4, role: "images")
        let labelFile = try IDXFile(bytes: labels, path: labelsPath, allowedDimensionCounts: 1...1, role: "labels")
        let sampleCount = imageFile.dimensions[0]
        guard labelFile.dimensions[0] == sampleCount else {
            throw LearningError.malformedFile(
                path: labelsPath, location: "byte 4",
                problem: "the file holds \(labelFile.dimensions[0]) labels but \(imagesPath) holds \(sampleCount) images; "
                    + "use the labels file that belongs to these images")
        }
        if let classCount, classCount < 1 || classCount > 256 {
            throw LearningError.invalidHyperparameter(
                name: "class count", value: "\(classCount)", allowed: "IDX labels are bytes, so the class count must be 1 to 256")
        }
        let labelBytes = labels[labelFile.dataOffset...]
        var largest: UInt8 = 0
        for (offset, label) in zip(labelBytes.indices, labelBytes) {
            if let classCount, Int(label) >= classCount {
                throw LearningError.malformedFile(
                    path: labelsPath, location: "byte \(offset)",
                    problem: "label \(label) of image \(offset - labelFile.dataOffset) is not below the class count \(classCount)")
            }
            largest = max(largest, label)
        }

        let featureCount = imageFile.dataCount / sampleCount
        var pixels = [Float](repeating: 0, count: imageFile.dataCount)
        images.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for index in 0..<imageFile.dataCount {
                    target[index] = Float(source[imageFile.dataOffset + index]) / 255
                }
            }
        }
        let featureNames: [String]
        if imageFile.dimensions.count == 3 {
            let columns = imageFile.dimensions[2]
            featureNames = (0..<featureCount).map { "pixel_\($0 / columns)_\($0 % columns)" }
        } else {
            featureNames = (0..<featureCount).map { "x\($0)" }
        }
        return try Dataset(
            name: "idx:\(imagesPath),\(labelsPath)",
            features: Tensor(rows: sampleCount, columns: featureCount, scalars: pixels),
            targets: Tensor(rows: sampleCount, columns: 1, scalars: labelBytes.map { Float($0) }),
            task: .classification(classCount: classCount ?? Int(largest) + 1),
            featureNames: featureNames,
            targetName: "label",
            evaluationPolicy: .holdOut(fraction: 0.2))
    }
}
