import Foundation
import Testing

/// Runs the built `footprint` executable as a user would, in a scratch directory.
struct FootprintBinary {
    let url: URL

    /// The binary SwiftPM built beside the test bundle (`.build/<config>/footprint`).
    static func locate() throws -> FootprintBinary {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("footprint")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return FootprintBinary(url: candidate) }
            directory = directory.deletingLastPathComponent()
        }
        Issue.record("The footprint executable was not found next to the tests; build it with `swift build` first.")
        throw CancellationError()
    }

    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Waits for `process` to exit, killing it after `seconds` so a broken signal path fails
    /// the test instead of hanging the suite. Returns false when it had to be killed.
    static func waitForExit(_ process: Process, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func process(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment
        variables["FOOTPRINT_DB"] = nil
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        return (process, output, error)
    }

    /// Runs to completion and captures both streams.
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Outcome {
        let (process, output, error) = process(arguments, in: directory, environment: environment)
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self), standardError: String(decoding: errData, as: UTF8.self))
    }
}
