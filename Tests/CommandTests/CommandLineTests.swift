import Foundation
import RunStore
import Testing

/// The `footprint` command as a user runs it: real processes, real files, real signals.
@Suite(.serialized) struct CommandLineTests {
    @Test func trainJSONPrintsOneObjectWithTheDocumentedKeys() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(
            ["train", "--dataset", "seed-regression", "--model", "poly", "--degree", "2", "--json"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        for key in [
            "id", "name", "kind", "status", "model", "dataset", "epochs", "metrics", "flops", "seconds", "gflopsPerSecond", "coefficients",
            "energy", "carbon", "history", "layers",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let flops = try #require(object["flops"] as? [String: Any])
        for key in ["forward", "backward", "optimizer", "evaluation", "total", "matmul"] {
            #expect(flops[key] != nil, "missing flops.\(key)")
        }
        let energy = try #require(object["energy"] as? [String: Any])
        #expect(["measured", "estimated"].contains(energy["provenance"] as? String ?? ""))
        #expect((object["coefficients"] as? [Double])?.count == 3)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("footprint.sqlite").path))
    }

    @Test func badArgumentsGetAUsageErrorSayingWhatIsAllowed() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let cases: [([String], String)] = [
            (["train", "--hidden", "0"], "--hidden must be at least 1"),
            (["train", "--epochs=-2"], "Invalid --epochs -2: must be at least 1"),
            (["train", "--dataset", "mnist-please"], "Unknown dataset"),
            (["train", "--model", "poly", "--degree", "7", "--dataset", "seed-regression"], "distinct x values"),
            (["train", "--lr", "0"], "Invalid --lr 0.0: must be a positive"),
            (["train", "--country", "FRX"], "FRA"),
        ]
        for (arguments, message) in cases {
            let outcome = try binary.run(arguments + ["--db", "runs.sqlite"], in: directory)
            #expect(outcome.status == 64, "\(arguments): status \(outcome.status)")
            #expect(outcome.standardError.contains(message), "\(arguments): \(outcome.standardError)")
        }
        // No run was started by any of them.
        let path = directory.appendingPathComponent("runs.sqlite").path
        if FileManager.default.fileExists(atPath: path) {
            #expect(try RunDatabase.open(path: path).runCount() == 0)
        }
    }

    @Test func wrapPassesTheExitStatusOnAndRecordsTheRun() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        #expect(try binary.run(["wrap", "--", "sh", "-c", "exit 3"], in: directory).status == 3)
        let missing = try binary.run(["wrap", "--", "no-such-command-xyz"], in: directory)
        #expect(missing.status == 127)
        #expect(missing.standardError.contains("command not found"))
        let killed = try binary.run(["wrap", "--", "sh", "-c", "kill -TERM $$"], in: directory)
        #expect(killed.status == 128 + SIGTERM)
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        let runs = try database.runs()
        #expect(runs.map(\.status) == [.interrupted, .failed, .failed])
        #expect(runs.map(\.exitStatus) == [128 + SIGTERM, 127, 3])
        #expect(runs.allSatisfy { $0.kind == .wrap && $0.energyJoules != nil })
        // `footprint runs` heads the exit-status column like every other: with that column
        // right-aligned and filled, the header, the rule and each row end at the same place.
        let table = try binary.run(["runs"], in: directory)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(table.standardOutput)")
        #expect(lines.first?.hasSuffix("Exit") == true, "\(table.standardOutput)")
        #expect(Set(lines.map(\.count)).count == 1, "\(table.standardOutput)")
        #expect(lines.dropFirst(2).map { $0.split(separator: " ").last.map(String.init) } == ["\(128 + SIGTERM)", "127", "3"])
    }

    @Test func sigintDuringTrainingEndsInterruptedWithFinishedEpochsKept() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let (process, _, _) = binary.process(["train", "--dataset", "digits", "--hidden", "64", "--epochs", "100000"], in: directory)
        try process.run()
        let path = directory.appendingPathComponent("footprint.sqlite").path
        let deadline = Date().addingTimeInterval(60)
        var epochs = 0
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            guard FileManager.default.fileExists(atPath: path),
                let database = try? RunDatabase.open(path: path),
                let run = try? database.runs().first
            else { continue }
            epochs = (try? database.epochs(runID: run.id ?? 0).count) ?? 0
            if epochs >= 1 { break }
        }
        #expect(epochs >= 1, "no epoch was recorded within 60 s")
        kill(process.processIdentifier, SIGINT)
        #expect(FootprintBinary.waitForExit(process), "footprint did not stop within 60 s of SIGINT")
        #expect(process.terminationStatus == 130)
        let database = try RunDatabase.open(path: path)
        let run = try #require(try database.runs().first)
        #expect(run.status == .interrupted)
        #expect(try database.epochs(runID: run.id ?? 0).count >= epochs)
        #expect(run.endedAt != nil)
    }

    @Test func fourProcessesWritingOneDatabaseLoseNoRun() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        // Four processes at once, five rounds.
        for round in 0..<5 {
            let launched = (0..<4).map { _ in binary.process(["wrap", "--interval", "0.05", "--", "true"], in: directory).0 }
            for process in launched { try process.run() }
            for process in launched { process.waitUntilExit() }
            #expect(launched.allSatisfy { $0.terminationStatus == 0 }, "round \(round)")
        }
        let database = try RunDatabase.open(path: directory.appendingPathComponent("footprint.sqlite").path)
        #expect(try database.runCount() == 20)
        #expect(try database.integrityCheck() == ["ok"])
    }

    @Test func foreignFileIsRefusedAndLeftByteForByteUntouched() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = directory.appendingPathComponent("notes.txt")
        let bytes = Data("these are my notes, not a database\n".utf8)
        try bytes.write(to: path)
        let outcome = try binary.run(["runs", "--db", path.path], in: directory)
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("notes.txt"))
        #expect(try Data(contentsOf: path) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["notes.txt"])
    }

    @Test func showAndExportReadWhatTrainRecorded() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        #expect(try binary.run(["train", "--dataset", "seed-classification", "--epochs", "3"], in: directory).status == 0)
        let show = try binary.run(["show", "1", "--json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any])
        #expect((object["history"] as? [Any])?.count == 3)
        #expect((object["layers"] as? [Any])?.count == 3)
        let csv = try binary.run(["export"], in: directory)
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power") == true)
        let missing = try binary.run(["show", "99"], in: directory)
        #expect(missing.status != 0 && missing.standardError.contains("99"))
    }

    @Test func wrappedProgramEpochEventsBecomeEpochsWithTheirOwnEnergy() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let script = """
            import json, os, time
            events = open(os.environ["FOOTPRINT_EVENTS"], "w", buffering=1)
            for i in range(1, 4):
                time.sleep(0.1)
                events.write(json.dumps({"event": "epoch", "index": i, "loss": 1.0 / i, "accuracy": 0.5 + i / 10}) + "\\n")
            events.write("not json\\n")
            events.write(json.dumps({"event": "phase", "name": "eval"}) + "\\n")
            """
        let outcome = try binary.run(["wrap", "--json", "--", "python3", "-c", script], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("ignored event line 'not json'"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let history = try #require(object["history"] as? [[String: Any]])
        #expect(history.count == 3)
        #expect(history.map { $0["trainLoss"] as? Double } == [1.0, 0.5, 1.0 / 3])
        #expect(history.allSatisfy { ($0["joules"] as? Double ?? -1) > 0 })
        let notes = (object["energy"] as? [String: Any])?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.hasPrefix("phase 'eval' began at") })
        #expect(object["command"] as? [String] == ["python3", "-c", script])
        #expect((object["seconds"] as? [String: Double])?["cpu"] != nil)
    }
}
