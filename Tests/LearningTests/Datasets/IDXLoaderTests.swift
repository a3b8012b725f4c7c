import Testing
@testable import Learning

@Suite("IDX loader")
struct IDXLoaderTests {
    typealias Support = DatasetTestSupport

    /// Three 2×2 images and their labels 2, 0, 1.
    private let images = Support.idx(dimensions: [3, 2, 2], data: [0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0])
    private let labels = Support.idx(dimensions: [3], data: [2, 0, 1])

    private func parse(images: [UInt8], labels: [UInt8], classCount: Int? = nil) throws -> Dataset {
        try IDXLoader.parse(images: images, imagesPath: "img.idx", labels: labels, labelsPath: "lab.idx", classCount: classCount)
    }

    private func error(images: [UInt8]? = nil, labels: [UInt8]? = nil, classCount: Int? = nil) throws -> Support.Malformed {
        try #require(Support.malformed { try parse(images: images ?? self.images, labels: labels ?? self.labels, classCount: classCount) })
    }

    @Test func roundTripsImagesAndLabelsThroughFiles() throws {
        let directory = try Support.TemporaryDirectory()
        defer { directory.remove() }
        let imagesPath = try directory.write("images-idx3-ubyte", bytes: images)
        let labelsPath = try directory.write("labels-idx1-ubyte", bytes: labels)
        let dataset = try IDXLoader.load(imagesPath: imagesPath, labelsPath: labelsPath)
        #expect(dataset.name == "idx:\(imagesPath),\(labelsPath)")
        #expect(dataset.features.shape == [3, 4])
        #expect(dataset.features.row(0).elementsEqual([0, 1, 0.2, 0.4]))
        #expect(dataset.features.row(2).elementsEqual([1, 1, 0, 0]))
        #expect(dataset.labels == [2, 0, 1])
        #expect(dataset.task == .classification(classCount: 3))
        #expect(dataset.featureNames == ["pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1"])
        let viaCatalog = try DatasetCatalog.load("idx:\(imagesPath),\(labelsPath)")
        #expect(viaCatalog.features == dataset.features)
    }

    @Test func usesTheGivenClassCountAndAcceptsTwoDimensionalImages() throws {
        let flat = Support.idx(dimensions: [3, 4], data: Array(repeating: 0, count: 12))
        let dataset = try parse(images: flat, labels: labels, classCount: 10)
        #expect(dataset.task == .classification(classCount: 10))
        #expect(dataset.featureNames == ["x0", "x1", "x2", "x3"])
    }

    @Test func tellsToDecompressGzippedFiles() throws {
        let error = try error(images: [0x1F, 0x8B, 0x08, 0x00, 1, 2, 3])
        #expect(error.path == "img.idx")
        #expect(error.location == "byte 0")
        #expect(error.problem.contains("gunzip"))
    }

    @Test func rejectsAWrongMagicNumber() throws {
        let error = try error(images: [0x12, 0x34, 0x56, 0x78] + Array(repeating: 0, count: 20))
        #expect(error.location == "byte 0")
        #expect(error.problem.contains("wrong magic number 12 34 56 78"))
    }

    @Test func rejectsAnUnsupportedDataType() throws {
        let floats = Support.idx(dimensions: [3, 2, 2], data: Array(repeating: 0, count: 48), type: 0x0D)
        let error = try error(images: floats)
        #expect(error.location == "byte 2")
        #expect(error.problem.contains("unsupported data type 0x0D"))
    }

    @Test func spotsSwappedImagesAndLabelsFiles() throws {
        let error = try error(images: labels, labels: images)
        #expect(error.path == "img.idx")
        #expect(error.location == "byte 3")
        #expect(error.problem.contains("swapped"))
    }

    @Test func rejectsAHeaderCutShort() throws {
        let short = try error(images: [0, 0])
        #expect(short.location == "byte 2")
        #expect(short.problem.contains("magic number"))
        let cut = try error(images: Array(images.prefix(10)))
        #expect(cut.location == "byte 10")
        #expect(cut.problem.contains("ends inside its header"))
    }

    @Test func rejectsTruncatedDataAtTheOffsetWhereItEnds() throws {
        let error = try error(images: Array(images.dropLast(3)))
        #expect(error.location == "byte 25")
        #expect(error.problem.contains("truncated"))
        #expect(error.problem.contains("3×2×2"))
    }

    @Test func rejectsDimensionsTooLargeForTheFileWithoutAllocating() throws {
        let mnistHeader = Support.idx(dimensions: [60000, 28, 28], data: Array(repeating: 0, count: 100))
        let tooLarge = try error(images: mnistHeader)
        #expect(tooLarge.location == "byte 116")
        #expect(tooLarge.problem.contains("47040000 data bytes"))
        let overflowing = Support.idx(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], data: [])
        let overflow = try error(images: overflowing)
        #expect(overflow.location == "byte 4")
        #expect(overflow.problem.contains("overflow"))
    }

    @Test func rejectsAZeroDimensionAndTrailingBytes() throws {
        let zero = try error(images: Support.idx(dimensions: [3, 0, 2], data: []))
        #expect(zero.location == "byte 8")
        let trailing = try error(images: images + [9, 9])
        #expect(trailing.location == "byte 28")
        #expect(trailing.problem.contains("2 unexpected bytes"))
    }

    @Test func rejectsImageAndLabelCountsThatDisagree() throws {
        let error = try error(labels: Support.idx(dimensions: [2], data: [0, 1]))
        #expect(error.path == "lab.idx")
        #expect(error.location == "byte 4")
        #expect(error.problem.contains("2 labels but img.idx holds 3 images"))
    }

    @Test func rejectsALabelNotBelowTheClassCount() throws {
        let error = try error(labels: Support.idx(dimensions: [3], data: [0, 12, 1]), classCount: 10)
        #expect(error.path == "lab.idx")
        #expect(error.location == "byte 9")
        #expect(error.problem.contains("label 12 of image 1"))
    }

    @Test func reportsAMissingLabelsFile() throws {
        let directory = try Support.TemporaryDirectory()
        defer { directory.remove() }
        let imagesPath = try directory.write("images", bytes: images)
        let error = try #require(Support.malformed { try IDXLoader.load(imagesPath: imagesPath, labelsPath: directory.path + "/nope") })
        #expect(error.path == directory.path + "/nope")
        #expect(error.location == "open")
    }
}
