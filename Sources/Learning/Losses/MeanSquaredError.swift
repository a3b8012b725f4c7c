import Vocabulary

/// Mean squared error, the lecture's (y − o)², averaged over samples and outputs.
///
/// FLOPs per element: 3 for the value (subtract, square, accumulate) and 2 for the gradient
/// 2(o − y)/n (the difference is reused; scale, store counts as one multiply, plus one for the
/// factor): forward 3·n, backward 2·n for n = batch × outputs.
package struct MeanSquaredError: Loss {
    package init() {}

    package func evaluate(
        output: Matrix, targets: Matrix, gradient: Matrix?, ledger: inout FlopLedger, phase: Phase
    ) -> Double {
        let count = output.count
        let o = output.pointer, y = targets.pointer
        var sum: Double = 0
        // Accumulate in Float per row, then Double, so long batches lose no precision.
        let columns = output.columns
        for row in 0..<output.rows {
            var rowSum: Float = 0
            for column in 0..<columns {
                let difference = o[row * columns + column] - y[row * columns + column]
                rowSum += difference * difference
            }
            sum += Double(rowSum)
        }
        ledger.add(3 * count, slot: ledger.lossSlot, phase: phase)
        if let gradient {
            gradient.reshape(rows: output.rows, columns: output.columns)
            let scale = Float(2.0 / Double(count))
            let g = gradient.pointer
            for index in 0..<count { g[index] = scale * (o[index] - y[index]) }
            ledger.add(2 * count, slot: ledger.lossSlot, phase: .backward)
        }
        return sum / Double(count)
    }
}
