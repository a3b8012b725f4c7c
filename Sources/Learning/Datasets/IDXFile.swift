/// The header of an IDX file (the format of MNIST and Fashion-MNIST), checked against the
/// file's length before any data is touched.
///
/// Layout (LeCun et al., http://yann.lecun.com/exdb/mnist/): two zero bytes, a data-type byte
/// (0x08 = unsigned byte), a dimension-count byte, one big-endian UInt32 per dimension, then
/// the values in row-major order. Only unsigned bytes are supported, as in MNIST.
struct IDXFile {
    /// The sizes of the dimensions, outermost first (for images: count, rows, columns).
    var dimensions: [Int]
    /// The offset of the first data byte, just after the header.
    var dataOffset: Int
    /// The number of data bytes the dimensions call for.
    var dataCount: Int

    /// The data-type byte of unsigned 8-bit values.
    static let unsignedByte: UInt8 = 0x08

    /// Reads and checks the header of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: The file's name, for errors.
    ///   - allowedDimensionCounts: How many dimensions this kind of file may have.
    ///   - role: "images" or "labels", for errors.
    /// - Throws: `LearningError.malformedFile` with the byte offset of the first problem.
    init(bytes: [UInt8], path: String, allowedDimensionCounts: ClosedRange<Int>, role: String) throws(LearningError) {
        func fail(_ offset: Int, _ problem: String) -> LearningError {
            .malformedFile(path: path, location: "byte \(offset)", problem: problem)
        }
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            throw fail(0, "the file is gzip-compressed; decompress it first (gunzip \(path)) and load the result")
        }
        guard bytes.count >= 4 else {
            throw fail(
                bytes.count, "the file ends after \(bytes.count) bytes, inside the 4-byte magic number; an IDX file starts with 00 00 08 0N"
            )
        }
        guard bytes[0] == 0 && bytes[1] == 0 else {
            let magic = bytes[0..<4].map { Self.hex($0) }.joined(separator: " ")
            throw fail(
                0,
                "wrong magic number \(magic); an IDX \(role) file starts with 00 00 08 0\(allowedDimensionCounts.lowerBound == 1 ? "1" : "3") (is this an IDX file?)"
            )
        }
        guard bytes[2] == Self.unsignedByte else {
            throw fail(
                2, "unsupported data type 0x\(Self.hex(bytes[2])); only unsigned bytes (0x08), as in MNIST and Fashion-MNIST, are supported"
            )
        }
        let dimensionCount = Int(bytes[3])
        guard allowedDimensionCounts.contains(dimensionCount) else {
            var problem = "the \(role) file has \(dimensionCount) dimensions; expected "
            problem +=
                allowedDimensionCounts.count == 1
                ? "\(allowedDimensionCounts.lowerBound)"
                : "\(allowedDimensionCounts.lowerBound) to \(allowedDimensionCounts.upperBound) (count, rows, columns)"
            if role == "images" && dimensionCount == 1 { problem += "; are the images and labels files swapped?" }
            if role == "labels" && dimensionCount > 1 { problem += "; are the images and labels files swapped?" }
            throw fail(3, problem)
        }
        let headerEnd = 4 + 4 * dimensionCount
        guard bytes.count >= headerEnd else {
            throw fail(bytes.count, "the file ends inside its header, which needs \(headerEnd) bytes for \(dimensionCount) dimensions")
        }
        var dimensions: [Int] = []
        var product = 1
        for index in 0..<dimensionCount {
            let offset = 4 + 4 * index
            let size = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard size > 0 else {
                throw fail(offset, "dimension \(index + 1) of the \(role) file is 0; the file holds no data")
            }
            dimensions.append(size)
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw fail(4, "the dimensions \(Self.shape(dimensions)) overflow; the header is corrupt")
            }
            product = next
        }
        let available = bytes.count - headerEnd
        if product > available {
            throw fail(
                bytes.count,
                "the file is truncated: dimensions \(Self.shape(dimensions)) need \(product) data bytes after the \(headerEnd)-byte header, "
                    + "but only \(available) follow; download the file again")
        }
        if product < available {
            throw fail(
                headerEnd + product,
                "\(available - product) unexpected bytes follow the \(product) data bytes of dimensions \(Self.shape(dimensions)); "
                    + "the header's dimensions may be wrong")
        }
        self.dimensions = dimensions
        self.dataOffset = headerEnd
        self.dataCount = product
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private static func shape(_ dimensions: [Int]) -> String {
        dimensions.map(String.init).joined(separator: "×")
    }
}
