#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Vocabulary

/// Softmax cross-entropy, −ln softmax(o)[y], averaged over the batch; targets are class indices.
///
/// Computed through log-sum-exp with the row maximum subtracted, so logits of ±1e4 give finite
/// values and gradients. FLOPs per sample with K classes: forward 4K + 2 (K comparisons for the
/// maximum, K subtractions, K exponentials, K additions, one log, one subtraction for the
/// target's term); gradient 3K (a division by the sum and a scaling by 1/N per class, and the
/// one-hot subtraction counted over the row).
package struct SoftmaxCrossEntropy: Loss {
    package init() {}

    package func evaluate(
        output: Matrix, targets: Matrix, gradient: Matrix?, ledger: inout FlopLedger, phase: Phase
    ) -> Double {
        let batch = output.rows, classes = output.columns
        let o = output.pointer, y = targets.pointer
        gradient?.reshape(rows: batch, columns: classes)
        let inverseBatch = Float(1.0 / Double(batch))
        var total: Double = 0
        for row in 0..<batch {
            let logits = o + row * classes
            var maximum = logits[0]
            for k in 1..<max(classes, 1) { maximum = max(maximum, logits[k]) }
            var sum: Float = 0
            for k in 0..<classes { sum += expf(logits[k] - maximum) }
            let logSumExp = maximum + logf(sum)
            let target = Int(y[row])
            total += Double(logSumExp - logits[target])
            if let gradient {
                let g = gradient.pointer + row * classes
                for k in 0..<classes {
                    let probability = expf(logits[k] - logSumExp)
                    g[k] = (probability - (k == target ? 1 : 0)) * inverseBatch
                }
            }
        }
        ledger.add(batch * (4 * classes + 2), slot: ledger.lossSlot, phase: phase)
        if gradient != nil { ledger.add(batch * 3 * classes, slot: ledger.lossSlot, phase: .backward) }
        return total / Double(batch)
    }
}
