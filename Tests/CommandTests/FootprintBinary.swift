import Foundation
import Testing

/// Scratch directories this test process made, removed when it exits, so tests that keep a
/// directory to the end (and those in files that never remove theirs) leave nothing behind.
private let scratchDirectories = ScratchDirectories()

/// The list behind an `NSLock`, not a `Synchronization.Mutex`: the thread sanitizer on Linux
/// does not see a Mutex as a lock, and parallel tests appending here read as a race.
private final class ScratchDirectories: @unchecked Sendable {
    // @unchecked: `urls` is only touched while `lock` is held.
    private let lock = NSLock()
    private var urls: [URL] = []

    func append(_ url: URL) { lock.withLock { urls.append(url) } }

    var all: [URL] { lock.withLock { urls } }
}

/// Registers the exit-time removal once, on the first scratch directory.
private let removeScratchDirectoriesAtExit: Void = {
    atexit {
        for url in scratchDirectories.all { try? FileManager.default.removeItem(at: url) }
    }
}()

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

    /// Polls `condition` every 50 ms until it holds, `stop` holds (the process it waits on has
    /// ended) or `seconds` pass; returns whether the condition held.
    static func waitUntil(seconds: Double, unless stop: () -> Bool = { false }, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            if stop() { return condition() }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    /// Whether process `pid` has a handler for `signal` (the SigCgt mask of /proc/PID/status):
    /// the readiness signal of a command that installs its signal handling after it starts.
    static func catchesSignal(_ signal: Int32, pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Reads `pipe` until `text` appears in it, the writer closes it, or `seconds` pass;
    /// returns whether the text appeared. The readiness signal of a process under test.
    static func waitForOutput(_ text: String, on pipe: Pipe, seconds: Double) -> Bool {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var seen = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(
                clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&request, 1, max(milliseconds, 1)) > 0 else { continue }
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return false }  // closed: the process ended without saying it
            seen += buffer[0..<count]
            if String(decoding: seen, as: UTF8.self).contains(text) { return true }
        }
        return false
    }

    /// A fresh directory under the system temporary directory, removed when the test process
    /// exits (a test may also remove it sooner).
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        _ = removeScratchDirectoriesAtExit
        scratchDirectories.append(url)
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

    /// Runs to completion under a file-size limit of `kilobytes` (`ulimit -f`, SIGXFSZ
    /// ignored), so the store's writes fail as they do on a full disk; captures standard error.
    func runWithFileSizeLimit(kilobytes: Int, _ arguments: [String], in directory: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(kilobytes); exec \"$0\" \"$@\"", url.path] + arguments
        process.currentDirectoryURL = directory
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: "", standardError: message)
    }

    /// Runs to completion and captures both streams.
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Outcome {
        let (process, output, error) = process(arguments, in: directory, environment: environment)
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
