import Foundation
import FootprintTestKit
import RunStore
import Testing

/// A filesystem with no byte left, filled by the wrapped program itself while it runs: the
/// run still ends with the program's status and what was stored, because the space reserved
/// beside the database when the run started is given back for its end.
@Suite(.serialized) struct FullFilesystemTests {
    /// A 16 MiB tmpfs of the test's own, mounted as root (CI runs as root); nil elsewhere.
    final class SmallFilesystem {
        let path: String

        init?() throws {
            let directory = try FootprintBinary.scratchDirectory().appendingPathComponent("small").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard getuid() == 0, Self.mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", directory]) else { return nil }
            path = directory
        }

        deinit { _ = Self.mount(["-l", path], command: "/bin/umount") }

        static func mount(_ arguments: [String], command: String = "/bin/mount") -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = arguments
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }

    @Test(.enabled(if: TestEnvironment.runs(needing: getuid() == 0)), .timeLimit(.minutes(1)))
    func aProgramThatFillsTheDiskMidRunStillEndsCompletedWithItsEpochsSoFar() throws {
        let filesystem = try #require(try SmallFilesystem(), "cannot mount a tmpfs (needs root)")
        let binary = try FootprintBinary.locate()
        // 40 epochs, then the disk filled to its last byte, then 40 more that cannot be stored.
        let child = """
            import errno, os
            events = open(os.environ["FOOTPRINT_EVENTS"], "w", buffering=1)
            for i in range(40): events.write('{"event":"epoch","index":%d,"loss":0.5}\\n' % i)
            import time; time.sleep(0.3)
            with open("filler", "wb", buffering=0) as filler:
                try:
                    while True: filler.write(b"x" * 4096)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
            for i in range(40, 80): events.write('{"event":"epoch","index":%d,"loss":0.5}\\n' % i)
            """
        let outcome = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--", "python3", "-c", child], in: URL(fileURLWithPath: filesystem.path),
            environment: ["FOOTPRINT_METERS": "estimate"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lost = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("footprint:") && $0.contains("not recorded") }
        #expect(lost.count <= 2, "\(lost)")
        let database = try RunDatabase.open(path: filesystem.path + "/runs.sqlite")
        let run = try database.run(id: 1)
        #expect(run.status == .completed, "\(outcome.standardError)")
        #expect(run.exitStatus == 0)
        let epochs = try database.epochs(runID: 1).count
        #expect(epochs >= 40 && epochs < 80, "\(epochs) epochs stored")
        #expect(try database.integrityCheck() == ["ok"])
        // The reserve is gone once the run has ended.
        let left = try FileManager.default.contentsOfDirectory(atPath: filesystem.path).filter { $0.contains(".reserve-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func anAbandonedReserveOfADeadProcessIsRemovedByTheNextOne() throws {
        let directory = try FootprintBinary.scratchDirectory().path
        let database = directory + "/runs.sqlite"
        let first = try #require(SpaceReserve.make(besideDatabaseAt: database, bytes: 4096))
        let host = URL(fileURLWithPath: first.path).lastPathComponent.dropFirst("runs.sqlite.reserve-".count).split(separator: "-")
            .dropLast()
            .joined(separator: "-")
        // A reserve named for a process that no longer exists (pid_max is below 2^22).
        let abandoned = directory + "/runs.sqlite.reserve-\(host)-4194303"
        #expect(FileManager.default.createFile(atPath: abandoned, contents: Data()))
        let second = try #require(SpaceReserve.make(besideDatabaseAt: database, bytes: 4096))
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: second.path))
        second.release()
        first.release()
        #expect(!FileManager.default.fileExists(atPath: first.path))
    }
}
