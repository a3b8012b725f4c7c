import Foundation
@testable import Learning

/// Helpers shared by the dataset tests: a scratch directory, IDX builders and a way to pull
/// the parts out of a `LearningError.malformedFile`.
enum DatasetTestSupport {
    /// The parts of a `malformedFile` error.
    struct Malformed {
        var path: String
        var location: String
        var problem: String
    }

    /// Runs `body` and returns the `malformedFile` error it throws; `nil` when it succeeds or
    /// throws anything else (so `#require` fails and shows it).
    static func malformed(_ body: () throws -> Any) -> Malformed? {
        do {
            _ = try body()
            return nil
        } catch let LearningError.malformedFile(path, location, problem) {
            return Malformed(path: path, location: location, problem: problem)
        } catch {
            return nil
        }
    }

    /// Parses CSV text held in a string.
    static func parseCSV(_ text: String, labelColumn: String? = nil, task: TaskHint = .automatic) throws -> CSVDataset {
        try CSVLoader.parse(Array(text.utf8), path: "test.csv", labelColumn: labelColumn, task: task)
    }

    /// An IDX file of unsigned bytes: 00 00 08 <dims>, big-endian sizes, then `data`.
    static func idx(dimensions: [Int], data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
        for size in dimensions {
            bytes += [
                UInt8(truncatingIfNeeded: size >> 24), UInt8(truncatingIfNeeded: size >> 16),
                UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size),
            ]
        }
        return bytes + data
    }

    /// A scratch directory removed by `remove()`.
    struct TemporaryDirectory {
        let path: String

        init() throws {
            path = NSTemporaryDirectory() + "footprint-datasets-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        /// Writes `bytes` to `name` inside the directory and returns the file's path.
        func write(_ name: String, bytes: [UInt8]) throws -> String {
            let file = path + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return file
        }

        /// Writes UTF-8 `text` to `name` inside the directory and returns the file's path.
        func write(_ name: String, text: String) throws -> String {
            try write(name, bytes: Array(text.utf8))
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
