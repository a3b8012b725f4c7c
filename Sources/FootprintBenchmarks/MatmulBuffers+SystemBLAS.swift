import Estimation

extension MatmulBuffers {
    /// C = op(A)·op(B) with a system BLAS.
    package func multiply(with blas: SystemBLAS) {
        blas.sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a.baseAddress, lda: lda, b: b.baseAddress, ldb: ldb, c: c.baseAddress, ldc: n)
    }
}
