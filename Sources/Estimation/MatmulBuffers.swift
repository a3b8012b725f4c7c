import Learning

/// Operands of one row-major product op(A)·op(B) → C, filled once with seeded values, that a
/// throughput calibration (or `footprint bench`) multiplies again and again with no allocation
/// in the loop.
package final class MatmulBuffers {
    package let m: Int, n: Int, k: Int
    package let transposeA: Bool, transposeB: Bool
    package let a: UnsafeMutableBufferPointer<Float>
    package let b: UnsafeMutableBufferPointer<Float>
    package let c: UnsafeMutableBufferPointer<Float>

    /// Allocates A (m×k, or k×m when transposed), B (k×n, or n×k) and C (m×n).
    package init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, seed: UInt64 = 7) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
        a = .allocate(capacity: max(m * k, 1))
        b = .allocate(capacity: max(k * n, 1))
        c = .allocate(capacity: max(m * n, 1))
        var generator = SeededGenerator(seed: seed)
        for index in a.indices { a[index] = generator.nextUnitFloat() - 0.5 }
        for index in b.indices { b[index] = generator.nextUnitFloat() - 0.5 }
        c.initialize(repeating: 0)
    }

    deinit {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }

    /// Leading dimensions of the row-major operands as stored.
    package var lda: Int { transposeA ? m : k }
    package var ldb: Int { transposeB ? k : n }

    /// FLOPs of one product, 2·m·n·k.
    package var flops: Double { Double(MatrixMultiply.flops(m: m, n: n, k: k)) }

    /// `"128×784·784×256"`, with ᵀ on a transposed operand as stored.
    package var shapeText: String {
        "\(m)×\(k)\(transposeA ? "ᵀ" : "")·\(k)×\(n)\(transposeB ? "ᵀ" : "")"
    }

    /// C = op(A)·op(B) with our kernel.
    package func multiply(threads: Int) {
        MatrixMultiply.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a.baseAddress, lda: lda, b: b.baseAddress, ldb: ldb, beta: 0, c: c.baseAddress, ldc: n,
            threads: threads)
    }

    /// The first `count` values of C (to compare two kernels' results).
    package func resultPrefix(_ count: Int) -> [Float] {
        Array(c.prefix(count))
    }
}
