import Foundation
import RunStore
import Testing

/// The fault matrix of issue 7 at the command line: each fault ends in a clear message and
/// intact data.
@Suite(.serialized) struct FaultTests {
    /// Starts `footprint train` on digits for a long time and returns once its first epoch is
    /// in the database (the run is then past setup, with its signal handling installed), so a
    /// signal sent next lands mid-training however slow the machine is.
    static func startLongTraining(_ binary: FootprintBinary, in directory: URL) throws -> (Process, Pipe) {
        let (process, _, error) = binary.process(["train", "--dataset", "digits", "--hidden", "64", "--epochs", "100000"], in: directory)
        try process.run()
        let path = directory.appendingPathComponent("footprint.sqlite").path
        let ready = FootprintBinary.waitUntil(seconds: 120, unless: { !process.isRunning }) {
            guard let database = try? RunDatabase.open(path: path), let run = try? database.runs().first,
                let count = try? database.epochs(runID: run.id ?? 0).count
            else { return false }
            return count >= 1
        }
        if !ready {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Issue.record("footprint train recorded no epoch within 120 s (exit \(process.terminationStatus)): \(message)")
            throw CancellationError()
        }
        return (process, error)
    }

    @Test func sigtermDuringTrainingExits143WithTheRunInterrupted() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, _) = try Self.startLongTraining(binary, in: directory)
        kill(process.processIdentifier, SIGTERM)
        #expect(FootprintBinary.waitForExit(process), "footprint did not stop within 60 s of SIGTERM")
        #expect(process.terminationStatus == 143)
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        let run = try #require(try database.runs().first)
        #expect(run.status == .interrupted)
        #expect(try database.epochs(runID: run.id ?? 0).count >= 1)
    }

    @Test func sigkillLeavesARunThatTheNextListingShowsCrashed() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, _) = try Self.startLongTraining(binary, in: directory)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let listing = try binary.run(["runs", "--json"], in: directory)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [[String: Any]])
        #expect(runs.first?["status"] as? String == "crashed")
        #expect(((runs.first?["history"] as? [Any])?.count ?? 0) >= 1)
        // Marking persists it.
        let marked = try binary.run(["runs", "--mark-crashed"], in: directory)
        #expect(marked.standardError.contains("Marked as crashed: run 1"))
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        #expect(try database.run(id: 1).status == .crashed)
    }

    @Test func sigintToWrapIsForwardedAndTheRunIsInterrupted() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Ready means both ends are: the wrapped shell said it runs (then became `sleep`), and
        // footprint catches SIGINT, which it starts doing only after the spawn.
        let (process, output, _) = binary.process(["wrap", "--", "sh", "-c", "echo ready; exec sleep 30"], in: directory)
        try process.run()
        let ready =
            FootprintBinary.waitForOutput("ready", on: output, seconds: 60)
            && FootprintBinary.waitUntil(seconds: 60, unless: { !process.isRunning }) {
                FootprintBinary.catchesSignal(SIGINT, pid: process.processIdentifier)
            }
        if !ready { kill(process.processIdentifier, SIGKILL) }
        try #require(ready, "the wrapped command did not start, or footprint did not catch SIGINT, within 60 s")
        kill(process.processIdentifier, SIGINT)  // from a process, not a terminal: forwarded
        #expect(FootprintBinary.waitForExit(process), "footprint wrap did not stop within 60 s of SIGINT")
        #expect(process.terminationStatus == 130)
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        #expect(try database.runs().first?.status == .interrupted)
    }

    @Test func readOnlyDirectoryIsReportedBeforeAnyWorkStarts() throws {
        // Root ignores directory permissions, so make the database path's parent a file.
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("x".utf8).write(to: directory.appendingPathComponent("blocker"))
        let outcome = try binary.run(["train", "--dataset", "seed-regression", "--db", "blocker/runs.sqlite"], in: directory)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("blocker"))
        #expect(!outcome.standardOutput.contains("Run 1"))
    }

    @Test func lockedDatabaseBeyondTheTimeoutIsAClearErrorAndLosesNothing() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try binary.run(["wrap", "--", "true"], in: directory).status == 0)
        let path = directory.appendingPathComponent("footprint.sqlite").path
        // Another writer holds the write lock for 8 s.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locker.arguments = [
            "python3", "-c",
            "import sqlite3,time,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(8)",
            path,
        ]
        let ready = Pipe()
        locker.standardOutput = ready
        try locker.run()
        _ = ready.fileHandleForReading.availableData  // wait for "locked"
        let outcome = try binary.run(["wrap", "--", "true"], in: directory, environment: ["FOOTPRINT_BUSY_TIMEOUT": "1"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.lowercased().contains("lock"), "\(outcome.standardError)")
        locker.waitUntilExit()
        let database = try RunDatabase.open(path: path)
        #expect(try database.runCount() >= 1)
        #expect(try database.integrityCheck() == ["ok"])
    }

    @Test func diskFullDuringARunIsReportedAndEarlierRunsSurvive() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try binary.run(["train", "--dataset", "seed-regression", "--model", "poly"], in: directory).status == 0)
        // A file-size limit of 64 KiB makes SQLite's writes fail like a full disk would.
        let outcome = try binary.runWithFileSizeLimit(
            kilobytes: 64, ["train", "--dataset", "digits", "--epochs", "200", "--hidden", "8"], in: directory)
        let message = outcome.standardError
        #expect(outcome.status != 0)
        #expect(!message.isEmpty)
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        #expect(try database.run(id: 1).status == .completed)
        #expect(try database.integrityCheck() == ["ok"])
    }
}
