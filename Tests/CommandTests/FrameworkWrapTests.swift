import Foundation
import Testing

/// Real frameworks wrapped by the real binary: a plain PyTorch loop, a Lightning `Trainer`, a
/// Hugging Face `Trainer` and a Keras `fit`, each reporting through this repository's `footprint`
/// package. Each run must hold the framework's own parameter count, its epochs with their
/// metrics, a startup phase before `train_begin` and a final quality; the PyTorch ones the
/// FLOPs per sample that `FlopCounterMode` counts in the program itself.
@Suite(.serialized, .enabled(if: FrameworkPython.shouldRun, "needs FOOTPRINT_TEST_PYTHON (.ci/python-env.sh)"))
struct FrameworkWrapTests {
    /// Wraps `script` (its figures to `facts.json`, scratch files under `out`) and checks what
    /// every framework's run must hold; returns the document and the figures for the rest.
    private func wrapped(_ script: String, flops: Bool) throws -> (document: [String: Any], facts: [String: Any]) {
        let python = try FrameworkPython.requirePath()
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let (_, document) = try FrameworkPython.wrap(
            binary, in: directory,
            program: [
                python, FrameworkPython.fixture(script), directory.appendingPathComponent("facts.json").path,
                directory.appendingPathComponent("out").path,
            ])
        let facts = try FrameworkPython.facts(in: directory)
        let model = try #require(document["model"] as? [String: Any])
        let parameters = try #require(facts["parameters"] as? Int)
        #expect((model["parameters"] as? Int) == parameters, "\(model)")
        #expect((model["name"] as? String)?.isEmpty == false)

        let history = try #require(document["history"] as? [[String: Any]])
        #expect(history.count == 2, "\(history)")
        #expect(history.map { $0["epoch"] as? Int } == [1, 2])
        for epoch in history {
            #expect(epoch["trainLoss"] is Double, "\(epoch)")
            #expect(epoch["validationLoss"] is Double, "\(epoch)")
            #expect(epoch["accuracy"] is Double, "\(epoch)")
            // Startup is never charged to an epoch: each lasts well under the program's imports.
            let seconds = try #require(epoch["seconds"] as? Double)
            #expect(seconds < (document["startupSeconds"] as? Double ?? 0), "epoch \(epoch) vs startup")
        }
        let startup = try #require(document["startupSeconds"] as? Double, "no startup phase: \(document.keys.sorted())")
        #expect(startup > 0)
        let energy = try #require(document["energy"] as? [String: Any])
        let startupJoules = try #require(energy["startupJoules"] as? Double)
        let joules = try #require(energy["joules"] as? Double)
        let trainingJoules = try #require(energy["trainingJoules"] as? Double)
        #expect(startupJoules > 0 && startupJoules < joules)
        #expect(abs(trainingJoules - (joules - startupJoules)) <= 1e-9 * joules)

        let accuracy = try #require(facts["accuracy"] as? Double)
        let metrics = try #require(document["metrics"] as? [String: Any])
        #expect(abs((metrics["accuracy"] as? Double ?? -1) - accuracy) < 1e-9, "final quality \(metrics) vs \(accuracy)")

        if flops {
            let perSample = try #require(facts["flops_per_sample"] as? Int)
            #expect(perSample > 0)
            #expect((model["flopsPerSample"] as? Int) == perSample, "\(model)")
            let samples = history.compactMap { $0["samples"] as? Int }.reduce(0, +)
            let total = try #require((document["flops"] as? [String: Any])?["total"] as? Int)
            #expect(total == perSample * samples)
        }
        return (document, facts)
    }

    @Test func aPlainPyTorchLoopKeepsItsModelEpochsStartupAndQuality() throws {
        let (document, _) = try wrapped("torch_loop.py", flops: true)
        #expect((document["model"] as? [String: Any])?["name"] as? String == "torch-loop")
    }

    @Test func aLightningTrainerKeepsItsModelEpochsStartupAndQuality() throws {
        let (document, _) = try wrapped("lightning_fit.py", flops: true)
        #expect((document["model"] as? [String: Any])?["name"] as? String == "tiny-lightning")
    }

    @Test func aHuggingFaceTrainerKeepsItsModelEpochsStartupAndQuality() throws {
        let (document, _) = try wrapped("transformers_trainer.py", flops: true)
        #expect((document["model"] as? [String: Any])?["name"] as? String == "tiny-bert")
    }

    @Test func aKerasFitOnJAXKeepsItsModelEpochsStartupAndQuality() throws {
        let (document, _) = try wrapped("keras_fit.py", flops: false)
        #expect((document["model"] as? [String: Any])?["name"] as? String == "tiny-keras")
        // Keras reports no FLOPs: none are invented.
        #expect((document["model"] as? [String: Any])?["flopsPerSample"] == nil)
    }
}
