#ifndef FOOTPRINT_CKERNELS_H
#define FOOTPRINT_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Row-major single-precision matrix multiply: C = alpha * op(A) * op(B) + beta * C.
///
/// op(A) is M x K (A is K x M, row stride lda, when transA != 0), op(B) is K x N (B is N x K
/// when transB != 0), C is M x N with row stride ldc. When beta == 0, C is overwritten and
/// never read (it may hold NaN). Uses the widest kernel this CPU supports (AVX-512, AVX2+FMA,
/// or portable C) and `threads` threads (1 or more) for large shapes; results do not depend on
/// `threads`.
void fp_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
              float *C, int64_t ldc, int threads);

/// fp_sgemm with an explicit kernel (0 = automatic, 1 = portable, 2 = avx2, 3 = avx512), for
/// tests that compare kernels without touching the process-wide choice. Returns -1 (and
/// computes nothing) when the CPU cannot run that kernel.
int fp_sgemm_with_kernel(int kernel, int transA, int transB, int64_t M, int64_t N, int64_t K,
                         float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                         float beta, float *C, int64_t ldc, int threads);

/// fp_sgemm with an epilogue fused into the kernel's last write of each tile:
/// C = alpha * op(A) * op(B) + beta * C, then + bias[j] (when bias is not NULL), then
/// max(0, C) (when relu != 0; NaN stays NaN), then C[i][j] = 0 where !(mask[i * ldmask + j] > 0)
/// (when mask is not NULL). One pass over C instead of one per operation.
void fp_sgemm_fused(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                    const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                    float *C, int64_t ldc, const float *bias, int relu, const float *mask,
                    int64_t ldmask, int threads);

/// fp_sgemm_fused with an explicit kernel, as fp_sgemm_with_kernel. Returns -1 (and computes
/// nothing) when the CPU cannot run that kernel.
int fp_sgemm_fused_with_kernel(int kernel, int transA, int transB, int64_t M, int64_t N,
                               int64_t K, float alpha, const float *A, int64_t lda,
                               const float *B, int64_t ldb, float beta, float *C, int64_t ldc,
                               const float *bias, int relu, const float *mask, int64_t ldmask,
                               int threads);

/// The name of the kernel fp_sgemm uses on this CPU: "avx512", "avx2" or "portable".
const char *fp_sgemm_kernel_name(void);

/// Makes this thread flush subnormal floats to zero (FTZ) and read them as zero (DAZ), and
/// returns the previous control state for fp_restore_float_mode. Subnormals arise when an
/// optimizer's moments decay for units that stopped learning, and x86 handles each in
/// microcode, slowing whole epochs several-fold; values below 1.2e-38 change no result that
/// matters. A no-op returning 0 on CPUs without SSE control registers.
unsigned int fp_flush_subnormals(void);

/// Restores a control state returned by fp_flush_subnormals.
void fp_restore_float_mode(unsigned int state);

#ifdef __cplusplus
}
#endif

#endif
