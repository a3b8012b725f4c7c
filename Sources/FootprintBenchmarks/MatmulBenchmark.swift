import Estimation
import Footprint
import Learning

/// GFLOP/s of our kernel at 1024³ and at the products one training step of MLP IN-H-OUT runs
/// (batch B), beside a system BLAS when one can be opened.
package struct MatmulBenchmark {
    /// One product to time.
    package struct Shape: Sendable, Equatable {
        var m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
        /// Why it is in the list: `square`, `forward 1`, `∂W 1` …
        var role: String
    }

    package var shapes: [Shape]
    package var threadCounts: [Int]
    /// Minimum seconds per timing round (best of 3 rounds).
    package var roundSeconds = 0.15

    /// 1024³ and the five products of a training step of IN-H-OUT at batch B: forward X·Wᵀ of
    /// both layers, ∂W = ∂Yᵀ·X of both, and ∂X = ∂Y·W of the second (the first's is skipped).
    package init(inputs: Int, hidden: Int, outputs: Int, batchSize: Int, threadCounts: [Int]) {
        let b = batchSize
        shapes = [
            Shape(m: 1024, n: 1024, k: 1024, role: "square"),
            Shape(m: b, n: hidden, k: inputs, transposeB: true, role: "forward 1, X·Wᵀ"),
            Shape(m: b, n: outputs, k: hidden, transposeB: true, role: "forward 2, X·Wᵀ"),
            Shape(m: hidden, n: inputs, k: b, transposeA: true, role: "∂W 1, ∂Yᵀ·X"),
            Shape(m: outputs, n: hidden, k: b, transposeA: true, role: "∂W 2, ∂Yᵀ·X"),
            Shape(m: b, n: hidden, k: outputs, role: "∂X 2, ∂Y·W"),
        ]
        self.threadCounts = threadCounts
    }

    /// Times every shape at every thread count, ours and BLAS alternately.
    ///
    /// - Parameter blas: A system BLAS to compare with, or nil.
    /// - Returns: One row per shape and thread count; the ratio is ours ÷ BLAS.
    package func run(blas: SystemBLAS?) -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        for threads in threadCounts {
            blas?.setThreads(threads)
            for shape in shapes {
                let buffers = MatmulBuffers(
                    m: shape.m, n: shape.n, k: shape.k, transposeA: shape.transposeA, transposeB: shape.transposeB)
                let ours = BenchmarkTiming.bestSecondsPerCall(seconds: roundSeconds) { buffers.multiply(threads: threads) }
                let ourResult = buffers.resultPrefix(64)
                var reference: Double?
                var note: String?
                if let blas {
                    let seconds = BenchmarkTiming.bestSecondsPerCall(seconds: roundSeconds) { buffers.multiply(with: blas) }
                    reference = buffers.flops / seconds / 1e9
                    let difference = zip(ourResult, buffers.resultPrefix(64)).map { abs($0 - $1) }.max() ?? 0
                    if difference > 1e-3 * Float(shape.k).squareRoot() {
                        note = "results differ from BLAS by \(difference)"
                    }
                }
                let isSquare = shape.role == "square"
                let value = buffers.flops / ours / 1e9
                rows.append(
                    BenchmarkRow(
                        group: "matmul", name: "\(buffers.shapeText) (\(shape.role)), \(threads) thread\(threads == 1 ? "" : "s")",
                        value: value, unit: "GFLOP/s", referenceValue: reference, referenceName: blas?.description,
                        goal: threads == 1 && blas != nil ? "≥ 0.7× BLAS" : nil,
                        goalMet: threads == 1 ? reference.map { value >= 0.7 * $0 } : nil,
                        note: note ?? (isSquare ? "kernel \(MatrixMultiply.kernelName)" : nil)))
            }
        }
        return rows
    }
}
