import Foundation

/// Runs `Benchmarks/numpy_mlp.py`, the numpy version of the same SGD steps, in a subprocess.
///
/// The script sets its BLAS to `FOOTPRINT_NUMPY_THREADS` threads before importing numpy, and
/// ``run(inputs:hidden:outputs:batchSize:steps:threads:)`` sets that variable to the thread count
/// of the Swift row the figure will divide, so a ratio never compares two thread counts. Per this machine's notes
/// (the environment README's "On some processors"), `OPENBLAS_CORETYPE` and
/// `OPENBLAS_L2_SIZE` may be set system-wide to keep older OpenBLAS builds correct; they slow a
/// current numpy, so both are removed together for this one subprocess and nowhere else.
package struct NumpyReference {
    /// What the script reported.
    package struct Result: Sendable, Codable, Equatable {
        package var samplesPerSecond: Double
        package var seconds: Double
        package var numpy: String?
        package var blas: String?
        /// The thread count the script set before importing numpy (absent from older scripts).
        package var threads: Int?
    }

    package var scriptPath: String
    package var python = "python3"

    /// Looks for `Benchmarks/numpy_mlp.py` in the current directory and its parents, then beside
    /// the executable's parents (a build under `.build/release` of a checkout).
    ///
    /// - Parameter explicitPath: A path given by the user, used as is when set.
    /// - Returns: The reference, or nil when no script was found.
    package static func locate(explicitPath: String? = nil) -> NumpyReference? {
        let fileManager = FileManager.default
        if let explicitPath {
            return fileManager.fileExists(atPath: explicitPath) ? NumpyReference(scriptPath: explicitPath) : nil
        }
        var starts = [URL(fileURLWithPath: fileManager.currentDirectoryPath)]
        starts.append(URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent())
        for start in starts {
            var directory = start
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent("Benchmarks/numpy_mlp.py").path
                if fileManager.fileExists(atPath: candidate) { return NumpyReference(scriptPath: candidate) }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    /// Runs the script with the same shapes, steps and thread count.
    ///
    /// - Parameter threads: The BLAS threads numpy may use (`FOOTPRINT_NUMPY_THREADS`): the
    ///   thread count of the Swift figure this one is compared with.
    /// - Returns: The script's figures, or a sentence saying why there are none (python or
    ///   numpy missing, the script failed, it ran at another thread count).
    package func run(inputs: Int, hidden: Int, outputs: Int, batchSize: Int, steps: Int, threads: Int) -> Swift.Result<Result, NumpyFailure>
    {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "OPENBLAS_CORETYPE")
        environment.removeValue(forKey: "OPENBLAS_L2_SIZE")
        environment["FOOTPRINT_NUMPY_THREADS"] = "\(threads)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, scriptPath, "--inputs", "\(inputs)", "--hidden", "\(hidden)", "--outputs", "\(outputs)",
            "--batch-size", "\(batchSize)", "--steps", "\(steps)",
        ]
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(NumpyFailure(reason: "could not start \(python): \(error.localizedDescription)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let lastLine = errorText.split(separator: "\n").last.map(String.init) ?? "no message"
            return .failure(NumpyFailure(reason: "\(python) \(scriptPath) exited with \(process.terminationStatus): \(lastLine)"))
        }
        guard let result = try? JSONDecoder().decode(Result.self, from: data), result.samplesPerSecond > 0 else {
            return .failure(NumpyFailure(reason: "\(scriptPath) printed no samplesPerSecond"))
        }
        if let ran = result.threads, ran != threads {
            return .failure(
                NumpyFailure(
                    reason:
                        "\(scriptPath) ran on \(ran) thread\(ran == 1 ? "" : "s"), not the \(threads) asked for in FOOTPRINT_NUMPY_THREADS")
            )
        }
        return .success(result)
    }
}

/// Why the numpy reference has no figure.
package struct NumpyFailure: Error, Sendable {
    package var reason: String
}
