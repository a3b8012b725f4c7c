import Testing
@testable import Learning

/// `--arch` parsing: accepted forms and the messages for malformed input.
@Suite struct ArchitectureParsingTests {
    @Test func parsesAlexNetCaseInsensitivelyWithSpaces() throws {
        #expect(try ArchitectureSpec.parse("  AlexNet ") == ArchitectureSpec.alexNet)
    }

    @Test func parsesAnMLPIntoDenseAndReLULayers() throws {
        let spec = try ArchitectureSpec.parse("mlp:784-256-128-10")
        #expect(spec.name == "mlp:784-256-128-10")
        #expect(spec.inputShape == .vector(784))
        #expect(spec.layers == [.dense(outputs: 256), .relu, .dense(outputs: 128), .relu, .dense(outputs: 10)])
        #expect(spec.loss == .softmaxCrossEntropy)
    }

    @Test(arguments: [
        ("resnet", "unknown architecture"),
        ("mlp:", "an empty width"),
        ("mlp:784", "at least an input and an output width"),
        ("mlp:784--10", "an empty width"),
        ("mlp:784-x-10", "'x' is not a positive integer"),
        ("mlp:784-0-10", "width 0 must be between 1"),
        ("mlp:784-+5-10", "'+5' is not a positive integer"),
        ("mlp:784-99999999999999999999-10", "must be between 1 and 10,000,000"),
        ("mlp 784-256-10", "unknown architecture"),
    ])
    func rejectsMalformedArchitecturesWithAMessageSayingWhy(text: String, fragment: String) {
        do {
            _ = try ArchitectureSpec.parse(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            let message = error.description
            #expect(message.contains(fragment), "message: \(message)")
            #expect(message.contains("--arch"))
        }
    }

    @Test func denseLayerAfterAFeatureMapAsksForFlatten() {
        let spec = ArchitectureSpec(
            name: "broken", inputShape: FeatureMapShape(height: 8, width: 8, channels: 3),
            layers: [.conv2D(outputChannels: 4, kernelSize: 3), .dense(outputs: 10)], loss: .softmaxCrossEntropy)
        #expect(throws: LearningError.self) { try spec.cost() }
        do {
            _ = try spec.cost()
        } catch {
            #expect(error.description.contains("flatten"))
            #expect(error.description.contains("layer 2"))
        }
    }

    @Test func kernelLargerThanItsInputIsRejected() {
        let spec = ArchitectureSpec(
            name: "tiny", inputShape: FeatureMapShape(height: 4, width: 4, channels: 1),
            layers: [.conv2D(outputChannels: 1, kernelSize: 7)], loss: .meanSquaredError)
        #expect(throws: LearningError.self) { try spec.cost() }
    }
}
