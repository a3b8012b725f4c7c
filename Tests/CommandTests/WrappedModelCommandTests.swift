import Foundation
import Testing

/// A wrapped program that declares its model, the start of its training, its epochs' samples,
/// a fact Footprint has no column for and its result, run through the real `footprint` binary.
@Suite struct WrappedModelCommandTests {
    /// Seconds the program sleeps before `train_begin`: its "imports".
    static let startupSleep = 0.6

    /// A program sending `lines` (Python expressions of dicts) with `sleeps` before some.
    static func script(_ body: String) -> String {
        """
        import json, os, time
        events = open(os.environ["FOOTPRINT_EVENTS"], "w", buffering=1)
        def send(line):
            events.write(json.dumps(line) + "\\n")
        \(body)
        """
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func theRunKeepsItsModelFlopsStartupResultAndExtraFacts() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let body = """
            send({"event": "model", "name": "mlp-256", "parameters": 19210, "flops_per_sample": 76800})
            time.sleep(\(Self.startupSleep))
            send({"event": "train_begin"})
            for i in range(1, 4):
                time.sleep(0.05)
                send({"event": "epoch", "index": i, "loss": 1.0 / i, "accuracy": 0.5 + i / 10, "samples": 1437, "lr": 0.001 * i})
            send({"event": "result", "accuracy": 0.958, "val_loss": 0.29, "optimizer": "adamw"})
            """
        let outcome = try binary.run(
            ["wrap", "--json", "--name", "wrapped-model", "--", "python3", "-c", Self.script(body)], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let wrapped = try Self.json(outcome.standardOutput)
        let id = try #require(wrapped["id"] as? Int)
        let shown = try binary.run(["show", "--json", "\(id)"], in: directory)
        #expect(shown.status == 0, "\(shown.standardError)")
        let document = try Self.json(shown.standardOutput)

        let model = try #require(document["model"] as? [String: Any])
        #expect(model["name"] as? String == "mlp-256")
        #expect(model["parameters"] as? Int == 19_210)
        #expect(model["flopsPerSample"] as? Int == 76_800)
        let history = try #require(document["history"] as? [[String: Any]])
        #expect(history.map { $0["samples"] as? Int } == [1_437, 1_437, 1_437])
        #expect((document["flops"] as? [String: Any])?["total"] as? Int == 76_800 * 1_437 * 3)

        // The startup is the sleep (and Python's own start), and the first epoch starts after it.
        let startup = try #require(document["startupSeconds"] as? Double, "no startupSeconds in \(document.keys.sorted())")
        #expect(startup >= Self.startupSleep && startup < Self.startupSleep + 5, "startup \(startup)")
        let first = try #require(history.first)
        let firstSeconds = try #require(first["seconds"] as? Double)
        let firstEnd = try #require(first["elapsedSeconds"] as? Double)
        #expect(firstEnd - firstSeconds >= startup - 1e-9, "epoch 1 starts at \(firstEnd - firstSeconds), before train_begin at \(startup)")
        #expect(firstSeconds < Self.startupSleep, "epoch 1 was charged the startup: \(firstSeconds) s")

        if let energy = document["energy"] as? [String: Any], let joules = energy["joules"] as? Double {
            let startupJoules = try #require(energy["startupJoules"] as? Double, "energy without startupJoules: \(energy)")
            let trainingJoules = try #require(energy["trainingJoules"] as? Double)
            #expect(startupJoules >= 0 && startupJoules <= joules)
            #expect(abs(trainingJoules - (joules - startupJoules)) <= 1e-9 * max(joules, 1))
            let notes = energy["notes"] as? [String] ?? []
            #expect(!notes.contains { $0.contains("no train_begin") }, "\(notes)")
        }

        // The result is the run's final quality, not the last epoch's figures.
        let metrics = try #require(document["metrics"] as? [String: Any])
        #expect(metrics["accuracy"] as? Double == 0.958)
        #expect(metrics["validationLoss"] as? Double == 0.29)
        #expect(metrics["trainLoss"] == nil, "\(metrics)")

        // Unknown keys are kept, the last value winning.
        let extra = try #require(document["extraFacts"] as? [String: Any], "no extraFacts in \(document.keys.sorted())")
        #expect(extra["optimizer"] as? String == "adamw")
        #expect(abs((extra["lr"] as? Double ?? 0) - 0.003) < 1e-12, "\(extra)")

        // `show` in text names the model, its size, its FLOPs per sample, the startup and the facts.
        let text = try binary.run(["show", "\(id)"], in: directory)
        #expect(text.status == 0, "\(text.standardError)")
        for expected in ["mlp-256", "19,210", "76,800", "Startup", "optimizer"] {
            #expect(text.standardOutput.contains(expected), "\(expected) missing from:\n\(text.standardOutput)")
        }
    }

    @Test func withoutTrainBeginOrResultTheFirstEpochKeepsTheStartupAndTheLastEpochIsFinal() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let body = """
            send({"event": "model", "name": "mlp-16", "parameters": 1210})
            for i in range(1, 3):
                time.sleep(0.05)
                send({"event": "epoch", "index": i, "loss": 1.0 / i, "val_loss": 2.0 / i, "accuracy": 0.5 + i / 10, "samples": 100})
            send({"event": "train_begin"})
            """
        let outcome = try binary.run(["wrap", "--json", "--", "python3", "-c", Self.script(body)], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let document = try Self.json(outcome.standardOutput)
        #expect(document["startupSeconds"] == nil)
        let energy = try #require(document["energy"] as? [String: Any])
        #expect(energy["startupJoules"] == nil && energy["trainingJoules"] == nil)
        let notes = energy["notes"] as? [String] ?? []
        #expect(notes.contains("no train_begin event: the first epoch includes the program's startup"), "\(notes)")
        // A train_begin after an epoch cannot move the epoch's start: it is ignored, and said so.
        #expect(notes.contains { $0.hasPrefix("1 train_begin event was ignored: training had already begun") }, "\(notes)")
        #expect(outcome.standardError.contains("a train_begin event was ignored: an epoch was already recorded"))
        let metrics = try #require(document["metrics"] as? [String: Any])
        #expect(metrics["trainLoss"] as? Double == 0.5)
        #expect(metrics["validationLoss"] as? Double == 1.0)
        #expect(abs((metrics["accuracy"] as? Double ?? 0) - 0.7) < 1e-12)
        #expect(metrics["evaluatedOn"] as? String == "validation")
        // A model without FLOPs per sample has no FLOPs: none are invented.
        #expect((document["model"] as? [String: Any])?["flopsPerSample"] == nil)
        #expect(document["flops"] == nil)
        #expect(document["extraFacts"] == nil)
    }

    @Test func aProgramThatSendsNoEventsGetsNoneOfTheNewKeysOrNotes() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(["wrap", "--json", "--", "true"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let document = try Self.json(outcome.standardOutput)
        for key in ["startupSeconds", "extraFacts", "flops"] { #expect(document[key] == nil, "\(key)") }
        let notes = (document["energy"] as? [String: Any])?["notes"] as? [String] ?? []
        #expect(!notes.contains { $0.contains("train_begin") }, "\(notes)")
        #expect((document["metrics"] as? [String: Any])?.isEmpty ?? true)
    }
}
