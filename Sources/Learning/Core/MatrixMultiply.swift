import CKernels

/// The matrix-multiply kernel every layer uses: C = α·op(A)·op(B) + β·C on row-major data.
///
/// It calls the packed, register-tiled C kernel in `CKernels`, which picks AVX-512, AVX2+FMA or
/// portable code at run time. One kernel serves A·B, Aᵀ·B and A·Bᵀ, so forward and backward
/// passes never materialise a transpose.
public enum MatrixMultiply {
    /// The kernel this CPU runs: `"avx512"`, `"avx2"` or `"portable"`.
    public static var kernelName: String {
        String(cString: fp_sgemm_kernel_name())
    }

    /// Names of the kernels this CPU can run, best last.
    public static var availableKernels: [String] {
        ["portable", "avx2", "avx512"].filter { name in
            var c: Float = 0
            let a: Float = 1
            return fp_sgemm_with_kernel(code(of: name)!, 0, 0, 1, 1, 1, 1, [a], 1, [a], 1, 0, &c, 1, 1) == 0
        }
    }

    private static func code(of name: String) -> Int32? {
        switch name {
        case "auto": 0
        case "portable": 1
        case "avx2": 2
        case "avx512": 3
        default: nil
        }
    }

    /// Multiplies two tensors: `op(a) · op(b)`.
    ///
    /// - Parameters:
    ///   - a: Left operand; M×K, or K×M when `transposeA`.
    ///   - b: Right operand; K×N, or N×K when `transposeB`.
    ///   - threads: Threads to use for large shapes (results do not depend on it).
    ///   - kernel: `nil` for the process-wide kernel, or a kernel name to use for this call only.
    /// - Returns: The M×N product, or nil when the CPU cannot run the requested kernel.
    public static func product(
        _ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false, threads: Int = 1,
        kernel: String? = nil
    ) -> Tensor? {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "Inner dimensions differ: \(k) and \(kb)")
        guard let code = code(of: kernel ?? "auto") else { return nil }
        var c = Tensor(rows: m, columns: n)
        let status = a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    fp_sgemm_with_kernel(
                        code, transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), 1,
                        pa.baseAddress, Int64(a.columns), pb.baseAddress, Int64(b.columns),
                        0, pc.baseAddress, Int64(n), Int32(threads))
                }
            }
        }
        return status == 0 ? c : nil
    }

    /// The raw kernel on pointers; `beta == 0` overwrites C without reading it.
    ///
    /// The optional epilogue is applied as the kernel writes each tile, in this order: `+ bias[j]`
    /// (one value per column of C), `max(0, ·)` when `relu` (NaN stays NaN), then zero where
    /// `!(mask[i·ldmask + j] > 0)`. A layer's bias add, its ReLU, and the ReLU mask of a gradient
    /// so cost no pass of their own over C.
    @inline(__always)
    package static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>?, lda: Int, b: UnsafePointer<Float>?, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>?, ldc: Int,
        bias: UnsafePointer<Float>? = nil, relu: Bool = false,
        mask: UnsafePointer<Float>? = nil, ldmask: Int = 0, threads: Int
    ) {
        guard m > 0, n > 0 else { return }
        fp_sgemm_fused(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
            a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc), bias, relu ? 1 : 0, mask, Int64(ldmask),
            Int32(threads))
    }

    /// `op(a)·op(b)` through the fused epilogue of ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:bias:relu:mask:ldmask:threads:)``,
    /// for tests that check every kernel's epilogue.
    ///
    /// - Returns: The M×N result, or nil when the CPU cannot run the requested kernel.
    package static func fusedProduct(
        _ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false,
        bias: [Float]? = nil, relu: Bool = false, mask: Tensor? = nil, threads: Int = 1, kernel: String? = nil
    ) -> Tensor? {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(k == (transposeB ? b.columns : b.rows), "Inner dimensions differ")
        precondition(bias.map { $0.count == n } ?? true && mask.map { $0.rows == m && $0.columns == n } ?? true)
        guard let code = code(of: kernel ?? "auto") else { return nil }
        var c = Tensor(rows: m, columns: n)
        let maskScalars = mask?.scalars ?? []
        let status = a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                (bias ?? []).withUnsafeBufferPointer { pbias in
                    maskScalars.withUnsafeBufferPointer { pmask in
                        c.scalars.withUnsafeMutableBufferPointer { pc in
                            fp_sgemm_fused_with_kernel(
                                code, transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), 1,
                                pa.baseAddress, Int64(a.columns), pb.baseAddress, Int64(b.columns), 0,
                                pc.baseAddress, Int64(n), bias == nil ? nil : pbias.baseAddress, relu ? 1 : 0,
                                mask == nil ? nil : pmask.baseAddress, Int64(n), Int32(threads))
                        }
                    }
                }
            }
        }
        return status == 0 ? c : nil
    }

    /// FLOPs of one `m×k · k×n` product, 2 per multiply-add (PyTorch FlopCounterMode's rule).
    public static func flops(m: Int, n: Int, k: Int) -> Int {
        2 * m * n * k
    }
}
