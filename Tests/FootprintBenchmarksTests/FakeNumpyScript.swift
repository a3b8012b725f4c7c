import Foundation

/// A stand-in for `Benchmarks/numpy_mlp.py` in a temporary directory: it prints the JSON the real
/// script prints, with 1,000 samples/s per thread it was given in `FOOTPRINT_NUMPY_THREADS`, so a
/// test can tell which thread count each figure came from.
struct FakeNumpyScript {
    let directory: URL
    let path: String

    /// Writes the script.
    ///
    /// - Parameter reportedThreads: The thread count the script claims to have run on; nil
    ///   reports the one it was given (a script that ignores the variable reports 1).
    init(reportedThreads: Int? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-numpy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("numpy_mlp.py").path
        let threads = reportedThreads.map { "\($0)" } ?? "int(os.environ.get('FOOTPRINT_NUMPY_THREADS', '1'))"
        let script = """
            import json, os
            given = int(os.environ.get("FOOTPRINT_NUMPY_THREADS", "1"))
            print(json.dumps({"samplesPerSecond": 1000.0 * given, "seconds": 1.0, "numpy": "fake",
                              "blas": "fake %d thread(s)" % given, "threads": \(threads)}))

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether `python3` is on the PATH (the suite runs the script with it).
    static var pythonAvailable: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }
}
