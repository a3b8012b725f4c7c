import Foundation
import RunStore
import Testing

/// Processes that open one new database at the same moment, as the ranks of a distributed job
/// do: none may refuse the file as another application's, and no run may be lost.
@Suite(.serialized) struct ConcurrentCreationTests {
    @Test func processesLaunchedTogetherOnANewDatabaseAllRecordTheirRun() throws {
        let binary = try FootprintBinary.locate()
        let rounds = 6, processes = 10
        for round in 0..<rounds {
            let directory = try FootprintBinary.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            // Launched one after another, as a job's ranks start: the spread of a few
            // milliseconds lands some processes in the middle of another's creation, which
            // starting them all at the same instant (behind a gate) hits far less often.
            let launched = (0..<processes).map { _ in
                binary.process(["wrap", "--interval", "0.5", "--", "true"], in: directory)
            }
            for (process, _, _) in launched { try process.run() }
            for (index, (process, output, error)) in launched.enumerated() {
                _ = output.fileHandleForReading.readDataToEndOfFile()
                let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(FootprintBinary.waitForExit(process), "round \(round), process \(index) hung")
                #expect(process.terminationStatus == 0, "round \(round), process \(index): \(message)")
            }
            let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
            #expect(try database.runCount() == processes, "round \(round)")
            #expect(try database.runs(status: .completed).count == processes, "round \(round)")
            #expect(try database.integrityCheck() == ["ok"])
            try database.close()
        }
    }
}
