import Foundation
import RunStore
import Testing

/// A directory nobody can write, holding a copy of a database: a read-only tmpfs mount when
/// the tests run as root (root ignores file modes), modes 0444 and 0555 otherwise.
private final class ReadOnlyPlace {
    let directory: URL
    let database: String
    private let mounted: Bool

    init(copying source: String, into parent: URL) throws {
        directory = parent.appendingPathComponent("read-only")
        database = directory.appendingPathComponent("runs.sqlite").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mounted = getuid() == 0
        if mounted { try Self.mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", directory.path]) }
        try FileManager.default.copyItem(atPath: source, toPath: database)
        if mounted {
            try Self.mount(["-o", "remount,ro", directory.path])
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        }
    }

    deinit {
        if mounted {
            try? Self.run("/bin/umount", [directory.path])
        } else {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        }
    }

    private static func mount(_ arguments: [String]) throws { try run("/bin/mount", arguments) }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
    }
}

@Suite struct StoreFileSafetyTests {
    /// A database of one finished run with 3,000 power samples: about twenty pages.
    private func makeDatabase(at path: String) throws {
        let store = try RunDatabase.open(path: path)
        let id = try store.insertRun(
            RunRecord(name: "kept-run", kind: .train, startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: "h"))
        try store.appendEpoch(EpochRecord(runID: id, epochIndex: 0))
        try store.insertPowerSamples(
            (0..<3_000).map { PowerSampleRecord(runID: id, elapsedSeconds: Double($0), meter: "rapl", zone: "package-0", watts: 10) })
        try store.finishRun(id: id, status: .completed)
        try store.close()
    }

    /// The case: after one damaged page even `runs` rewrote header bytes and appended
    /// a page. Every command now refuses the file and leaves it byte for byte as it was.
    @Test func oneDamagedPageLeavesTheFileByteForByteUntouchedByEveryCommand() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = directory.appendingPathComponent("runs.sqlite").path
        try makeDatabase(at: path)
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        let page = damaged.count / 4096 / 2
        #expect(page >= 4)
        damaged.replaceSubrange(page * 4096..<(page + 1) * 4096, with: repeatElement(0xA5, count: 4096))
        try damaged.write(to: URL(fileURLWithPath: path))
        let commands: [[String]] = [["runs"], ["show", "1"], ["report", "1"], ["export"], ["delete", "1", "--yes"], ["wrap"]]
        for command in commands {
            let arguments = [command[0], "--db", path] + command.dropFirst() + (command == ["wrap"] ? ["--", "true"] : [])
            let outcome = try binary.run(arguments, in: directory)
            #expect(outcome.status == 1, "\(command)")
            #expect(outcome.standardError.contains("is a damaged database"), "\(command): \(outcome.standardError)")
            #expect(outcome.standardError.contains("did not modify it"), "\(command)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged, "\(command) changed the file")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["runs.sqlite"])
    }

    /// `runs`, `show`, `report` and `export` read a database nobody can write (not even its
    /// `-wal`/`-shm`); `delete` and `wrap` refuse it before doing anything, saying what to do.
    @Test func readOnlyDatabaseIsReadByReadingCommandsAndRefusedByWritingOnes() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let original = directory.appendingPathComponent("original.sqlite").path
        try makeDatabase(at: original)
        let place = try ReadOnlyPlace(copying: original, into: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: place.database))
        let readers: [([String], String)] = [
            (["runs"], "kept-run"), (["show", "1"], "kept-run"), (["export"], "kept-run"), (["report", "1"], "run-1.md"),
        ]
        for (command, expected) in readers {
            let outcome = try binary.run([command[0], "--db", place.database] + command.dropFirst(), in: directory)
            #expect(outcome.status == 0, "\(command): \(outcome.standardError)")
            #expect(outcome.standardOutput.contains(expected), "\(command): \(outcome.standardOutput)")
        }
        for command in [["delete", "1", "--yes"], ["wrap", "--", "true"]] {
            let arguments = [command[0], "--db", place.database] + command.dropFirst()
            let outcome = try binary.run(arguments, in: directory)
            #expect(outcome.status == 1, "\(command)")
            #expect(
                outcome.standardError.contains("cannot write the run database \(place.database)"), "\(command): \(outcome.standardError)")
            #expect(outcome.standardError.contains("Fix the permissions or pass a writable file"), "\(command)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: place.database)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: place.directory.path) == ["runs.sqlite"])
        #expect(try RunDatabase.openForReading(path: place.database).runCount() == 1)
    }
}
