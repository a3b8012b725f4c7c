#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CBLAS found at run time with `dlopen`, so the build never needs one: OpenBLAS first (it
/// can be told to use one thread), then the reference `libblas.so.3` (Debian's alternatives may
/// point it at OpenBLAS, BLIS or ATLAS).
///
/// Debian's OpenBLAS detects this Xeon (Ice Lake server, family 6 model 106) as a generic core
/// and runs slow code unless `OPENBLAS_CORETYPE=SkylakeX` is set; `coreName` shows what it chose.
package final class SystemBLAS: @unchecked Sendable {
    // Immutable after init: function pointers and the handle are only read.
    private typealias SGEMM =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
            UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?

    private let handle: UnsafeMutableRawPointer
    private let sgemmFunction: SGEMM
    private let setThreadsFunction: SetThreads?
    /// The file that was opened.
    package let libraryName: String
    /// OpenBLAS's kernel family (`SkylakeX`, `Haswell`, `Prescott`), nil for other BLAS.
    package let coreName: String?

    /// Library names tried in order.
    package static let candidates = ["libopenblas.so.0", "libopenblas.so", "libblas.so.3", "libcblas.so.3"]

    /// Opens the first library of `candidates` that exports `cblas_sgemm`, or nil.
    package init?(candidates: [String] = SystemBLAS.candidates) {
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let symbol = dlsym(handle, "cblas_sgemm") else {
                dlclose(handle)
                continue
            }
            self.handle = handle
            libraryName = name
            sgemmFunction = unsafeBitCast(symbol, to: SGEMM.self)
            setThreadsFunction = dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreads.self) }
            if let core = dlsym(handle, "openblas_get_corename"), let text = unsafeBitCast(core, to: CoreName.self)() {
                coreName = String(cString: text)
            } else {
                coreName = nil
            }
            return
        }
        return nil
    }

    deinit {
        dlclose(handle)
    }

    /// `"libopenblas.so.0 (SkylakeX)"`.
    package var description: String {
        coreName.map { "\(libraryName) (\($0))" } ?? libraryName
    }

    /// Sets OpenBLAS's thread count; false for a BLAS that has no such call.
    @discardableResult
    package func setThreads(_ count: Int) -> Bool {
        guard let setThreadsFunction else { return false }
        setThreadsFunction(Int32(count))
        return true
    }

    /// C = op(A)·op(B), row-major (CblasRowMajor = 101, NoTrans = 111, Trans = 112).
    package func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>?, lda: Int, b: UnsafePointer<Float>?, ldb: Int,
        c: UnsafeMutablePointer<Float>?, ldc: Int
    ) {
        sgemmFunction(
            101, transposeA ? 112 : 111, transposeB ? 112 : 111, Int32(m), Int32(n), Int32(k), 1,
            a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}
