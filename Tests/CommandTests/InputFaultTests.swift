import Foundation
import RunStore
import Testing

/// Malformed input files and crowds of writers, through the real command.
@Suite(.serialized) struct InputFaultTests {
    /// Each malformed file: a non-zero exit, a message naming the file and the position, and
    /// no run left behind (the file is read before a run is created).
    @Test func malformedFilesAreRejectedNamingFileAndPositionWithNoRunLeft() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        func bigEndian(_ value: UInt32) -> [UInt8] {
            [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        let labels = try write("labels.idx", bigEndian(0x0000_0801) + bigEndian(2) + [1, 2])
        let cases: [(dataset: String, expected: [String])] = [
            ("csv:" + (try write("columns.csv", Array("a,b,y\n1,2,3\n4,5\n".utf8))), ["columns.csv", "line 3"]),
            ("csv:" + (try write("text.csv", Array("a,y\n1,2\nhello,3\n".utf8))), ["text.csv", "line 3"]),
            ("csv:" + (try write("empty.csv", [])), ["empty.csv"]),
            ("csv:" + (try write("nan.csv", Array("a,y\n1,2\nnan,3\n".utf8))), ["nan.csv", "line 3"]),
            ("csv:" + (try write("huge.csv", [UInt8](repeating: UInt8(ascii: "1"), count: 10_000_000))), ["huge.csv"]),
            ("csv:" + directory.appendingPathComponent("missing.csv").path, ["missing.csv"]),
            ("idx:" + (try write("magic.idx", bigEndian(0x1234_5678) + bigEndian(1))) + "," + labels, ["magic.idx", "byte"]),
            (
                "idx:" + (try write("short.idx", bigEndian(0x0000_0803) + bigEndian(2) + bigEndian(2) + bigEndian(2) + [1, 2, 3])) + ","
                    + labels, ["short.idx", "byte"]
            ),
            (
                "idx:" + (try write("three.idx", bigEndian(0x0000_0803) + bigEndian(3) + bigEndian(1) + bigEndian(1) + [1, 2, 3])) + ","
                    + labels, ["3", "2"]
            ),
        ]
        for (dataset, expected) in cases {
            let outcome = try binary.run(["train", "--dataset", dataset, "--db", "runs.sqlite"], in: directory)
            #expect(outcome.status != 0, "\(dataset) was accepted")
            for fragment in expected {
                #expect(outcome.standardError.contains(fragment), "\(dataset): '\(outcome.standardError)' lacks '\(fragment)'")
            }
        }
        let path = directory.appendingPathComponent("runs.sqlite").path
        if FileManager.default.fileExists(atPath: path) {
            #expect(try RunDatabase.open(path: path).runCount() == 0)
        }
        // A missing label column lists the columns there are.
        let noLabel = try binary.run(
            ["train", "--dataset", "csv:" + (try write("ok.csv", Array("a,b\n1,2\n3,4\n".utf8))), "--label", "price"], in: directory)
        #expect(noLabel.status != 0 && noLabel.standardError.contains("price") && noLabel.standardError.contains("a"))
    }

    @Test func conflictingFlagsAreAUsageError() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(["train", "--model", "poly", "--hidden", "5", "--dataset", "seed-regression"], in: directory)
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("--hidden"))
        let lifetime = try binary.run(["train", "--lifetime-years", "4"], in: directory)
        #expect(lifetime.status == 64 && lifetime.standardError.contains("--embodied-kg"))
    }

    /// Issue 7's concurrency row: 8 processes × 25 runs into one database.
    @Test func eightProcessesTimesTwentyFiveRunsGiveTwoHundredRuns() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let loop = "for i in $(seq 25); do \"$0\" wrap --interval 0.5 -- true || exit 1; done"
        let processes = (0..<8).map { _ -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", loop, binary.url.path]
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        #expect(try database.runCount() == 200)
        #expect(try database.integrityCheck() == ["ok"])
        #expect(try database.runs(status: .completed).count == 200)
    }
}

/// Reading commands on a directory with no database say so and create nothing.
@Suite struct MissingDatabaseTests {
    @Test func readingCommandsLeaveNoDatabaseBehind() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let runs = try binary.run(["runs"], in: directory)
        #expect(runs.status == 0 && runs.standardOutput.contains("No runs yet"))
        #expect(try binary.run(["runs", "--json"], in: directory).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        for arguments in [["show", "1"], ["report", "1"], ["compare"], ["export"], ["delete", "1", "--yes"]] {
            let outcome = try binary.run(arguments, in: directory)
            #expect(outcome.status == 1, "\(arguments)")
            #expect(outcome.standardError.contains("no run database"), "\(arguments): \(outcome.standardError)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
