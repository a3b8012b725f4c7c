import Testing
import Vocabulary
@testable import Learning

/// Finite-difference checks: each analytic gradient must match (L(θ+h) − L(θ−h)) / 2h.
@Suite struct GradientCheckTests {
    /// Loss of `network` on (x, y) with the given loss, no gradient.
    static func lossValue(_ network: Sequential, _ loss: any Loss, _ x: Matrix, _ y: Matrix) -> Double {
        var ledger = FlopLedger(layerNames: network.layers.map(\.name))
        let output = network.forward(x, ledger: &ledger, phase: .evaluation, threads: 1)
        return loss.evaluate(output: output, targets: y, gradient: nil, ledger: &ledger, phase: .evaluation)
    }

    /// Compares every analytic parameter gradient (and optionally sampled entries) with
    /// central differences; returns the worst relative error.
    static func worstParameterError(_ network: Sequential, _ loss: any Loss, _ x: Matrix, _ y: Matrix) -> Double {
        var ledger = FlopLedger(layerNames: network.layers.map(\.name))
        let output = network.forward(x, ledger: &ledger, phase: .forward, threads: 1)
        let gradient = Matrix(rows: 0, columns: 0)
        _ = loss.evaluate(output: output, targets: y, gradient: gradient, ledger: &ledger, phase: .forward)
        network.backward(input: x, outputGradient: gradient, ledger: &ledger, threads: 1)
        var worst = 0.0
        let h: Float = 1e-3
        for slot in network.parameters {
            let analytic = Array(slot.gradients.buffer)
            for index in 0..<slot.values.count {
                let saved = slot.values.pointer[index]
                slot.values.pointer[index] = saved + h
                let plus = lossValue(network, loss, x, y)
                slot.values.pointer[index] = saved - h
                let minus = lossValue(network, loss, x, y)
                slot.values.pointer[index] = saved
                let numeric = (plus - minus) / (2 * Double(h))
                let error = abs(numeric - Double(analytic[index])) / max(1e-2, abs(numeric) + abs(Double(analytic[index])))
                worst = max(worst, error)
            }
        }
        return worst
    }

    static func matrix(_ rows: Int, _ columns: Int, seed: UInt64, scale: Float = 1) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        let m = Matrix(rows: rows, columns: columns)
        for i in 0..<m.count { m.pointer[i] = generator.nextGaussian() * scale }
        return m
    }

    @Test func linearLayerGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 1)
        let network = Sequential(layers: [Linear(inputs: 4, outputs: 3, name: "fc", generator: &generator)], inputWidth: 4)
        let error = Self.worstParameterError(network, MeanSquaredError(), Self.matrix(5, 4, seed: 2), Self.matrix(5, 3, seed: 3))
        #expect(error < 2e-2)
    }

    @Test func reluAndInputGradientMatchFiniteDifferences() {
        // Linear → ReLU → Linear exercises ReLU's mask and the second layer's input gradient.
        let network = MLPArchitecture(inputs: 3, hiddenLayers: 1, hiddenWidth: 6, outputs: 2).makeNetwork(seed: 7)
        let error = Self.worstParameterError(network, MeanSquaredError(), Self.matrix(8, 3, seed: 4), Self.matrix(8, 2, seed: 5))
        #expect(error < 2e-2)
    }

    @Test func softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        let network = MLPArchitecture(inputs: 2, hiddenLayers: 1, hiddenWidth: 5, outputs: 3).makeNetwork(seed: 11)
        let labels = Matrix(rows: 6, columns: 1)
        for row in 0..<6 { labels.pointer[row] = Float(row % 3) }
        let error = Self.worstParameterError(network, SoftmaxCrossEntropy(), Self.matrix(6, 2, seed: 12), labels)
        #expect(error < 2e-2)
    }

    @Test func wholeMLPWithTwoHiddenLayersMatchesFiniteDifferences() {
        let network = MLPArchitecture(inputs: 3, hiddenLayers: 2, hiddenWidth: 5, outputs: 1).makeNetwork(seed: 21)
        let error = Self.worstParameterError(network, MeanSquaredError(), Self.matrix(7, 3, seed: 22), Self.matrix(7, 1, seed: 23))
        #expect(error < 2e-2)
    }

    @Test func mseGradientIsTwiceTheMeanDifference() {
        let output = Matrix(rows: 2, columns: 1), target = Matrix(rows: 2, columns: 1), gradient = Matrix(rows: 0, columns: 0)
        output.pointer[0] = 3; output.pointer[1] = -1
        target.pointer[0] = 1; target.pointer[1] = 1
        var ledger = FlopLedger(layerNames: [])
        let value = MeanSquaredError().evaluate(output: output, targets: target, gradient: gradient, ledger: &ledger, phase: .forward)
        #expect(value == 4)  // ((2)² + (−2)²) / 2
        #expect(gradient.pointer[0] == 2 && gradient.pointer[1] == -2)
    }

    @Test func softmaxCrossEntropyStaysFiniteForHugeLogits() {
        let logits = Matrix(rows: 2, columns: 3), labels = Matrix(rows: 2, columns: 1), gradient = Matrix(rows: 0, columns: 0)
        let values: [Float] = [1e4, -1e4, 0, -1e4, 1e4, 1e4]
        for i in 0..<6 { logits.pointer[i] = values[i] }
        labels.pointer[0] = 1; labels.pointer[1] = 2
        var ledger = FlopLedger(layerNames: [])
        let value = SoftmaxCrossEntropy().evaluate(output: logits, targets: labels, gradient: gradient, ledger: &ledger, phase: .forward)
        #expect(value.isFinite)
        // Row 0 picks a logit 2e4 below the maximum: loss 2e4. Row 1 ties two maxima: ln 2.
        #expect(abs(value - (2e4 + 0.6931472) / 2) < 1)
        #expect(gradient.buffer.allSatisfy { $0.isFinite })
    }
}
