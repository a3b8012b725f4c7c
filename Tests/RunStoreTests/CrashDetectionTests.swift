import Foundation
import GRDB
import Testing
@testable import RunStore

@Suite("Crash detection")
struct CrashDetectionTests {
    /// The pid of a process that has exited and been reaped.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    private func storedStatus(_ store: RunDatabase, _ id: Int64) throws -> String? {
        try store.pool.read { db in try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [id]) }
    }

    @Test func runningRunWhoseProcessIsGoneReadsCrashedUntilMarked() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var orphan = makeRun(name: "orphan")
        orphan.pid = try deadPID()
        orphan.processStartTicks = nil
        let orphanID = try store.insertRun(orphan)
        let aliveID = try store.insertRun(makeRun(name: "alive"))

        #expect(try store.run(id: orphanID).status == .crashed)
        #expect(try store.run(id: aliveID).status == .running)
        #expect(try store.runs(status: .crashed).map(\.name) == ["orphan"])
        #expect(try store.runs(status: .running).map(\.name) == ["alive"])
        #expect(try storedStatus(store, orphanID) == "running")

        #expect(try store.markCrashedRuns() == [orphanID])
        #expect(try storedStatus(store, orphanID) == "crashed")
        #expect(try store.run(id: orphanID).errorText?.contains("ended without finishing") == true)
        #expect(try store.run(id: orphanID).endedAt == nil)
        #expect(try store.markCrashedRuns().isEmpty)
        #expect(try storedStatus(store, aliveID) == "running")
    }

    @Test func reusedPidWithAnotherStartTimeCountsAsCrashed() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let me = ProcessIdentity.current()
        let ticks = try #require(me.startTicks, "needs /proc")
        var impostor = makeRun()
        impostor.processStartTicks = ticks + 1
        let id = try store.insertRun(impostor)
        #expect(try store.run(id: id).status == .crashed)
        var genuine = makeRun()
        genuine.processStartTicks = ticks
        #expect(try store.run(id: try store.insertRun(genuine)).status == .running)
    }

    @Test func runsOfAnotherHostAreJudgedByTheirLeaseNeverByAPIDOfThisHost() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var remote = makeRun()
        remote.host = "elsewhere-" + UUID().uuidString
        remote.pid = try deadPID()
        remote.startedAt = Date()  // within the lease: its process cannot be seen from here
        let id = try store.insertRun(remote)
        #expect(try store.run(id: id).status == .running)
        #expect(try store.markCrashedRuns().isEmpty)
    }

    @Test func finishedRunsAreNeverReportedCrashed() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeRun()
        run.pid = try deadPID()
        let id = try store.insertRun(run)
        try store.finishRun(id: id, status: .completed)
        #expect(try store.run(id: id).status == .completed)
        #expect(try store.markCrashedRuns().isEmpty)
    }

    @Test func startTimeIsReadThroughTheProcSeam() throws {
        let directory = try TemporaryDirectory()
        let pid = getpid()
        try FileManager.default.createDirectory(atPath: directory.file("proc/\(pid)"), withIntermediateDirectories: true)
        let stat = "\(pid) (odd) name) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 777 19 20\n"
        try Data(stat.utf8).write(to: URL(fileURLWithPath: directory.file("proc/\(pid)/stat")))
        let table = ProcessTable(procRoot: directory.file("proc"))
        #expect(table.startTicks(of: pid) == 777)
        let store = try RunDatabase(path: directory.file("runs.sqlite"), busyTimeoutSeconds: 5, processTable: table)
        var run = makeRun()
        run.processStartTicks = 777
        let alive = try store.insertRun(run)
        run.processStartTicks = 778
        run.uuid = UUID().uuidString.lowercased()  // a second run, not the same one twice
        let reused = try store.insertRun(run)
        #expect(try store.run(id: alive).status == .running)
        #expect(try store.run(id: reused).status == .crashed)
    }

    @Test func zombieProcessCountsAsGone() throws {
        let directory = try TemporaryDirectory()
        let pid = getpid()
        try FileManager.default.createDirectory(atPath: directory.file("proc/\(pid)"), withIntermediateDirectories: true)
        let stat = "\(pid) (train) Z 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 777 19 20\n"
        try Data(stat.utf8).write(to: URL(fileURLWithPath: directory.file("proc/\(pid)/stat")))
        #expect(ProcessTable(procRoot: directory.file("proc")).liveness(pid: pid, startTicks: 777) == .gone)
        #expect(ProcessTable(procRoot: directory.file("absent")).liveness(pid: pid, startTicks: 777) == .alive)
    }

    @Test(arguments: [
        ("1 (sh) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 4242 1000 20", Int64?(4242)),
        ("9 (a b) c)) R 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 99 1000 20", Int64?(99)),
        ("9 (short) R 0 1", Int64?.none),
        ("garbage", Int64?.none),
    ])
    func statParsingCountsFieldsAfterTheLastParenthesis(line: String, expected: Int64?) {
        #expect(ProcessTable.parseStartTicks(stat: line) == expected)
    }
}
