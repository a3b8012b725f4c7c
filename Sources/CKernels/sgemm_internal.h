// Types shared by the SGEMM driver (sgemm.c), the per-target kernels (sgemm_kernels.c), the
// packing routines (sgemm_pack.c) and the worker pool (sgemm_pool.c). Not part of the module's
// public header.
#ifndef FOOTPRINT_SGEMM_INTERNAL_H
#define FOOTPRINT_SGEMM_INTERNAL_H

#include <stdint.h>

/// One product C = epilogue(alpha * op(A) * op(B) + beta * C), row-major.
typedef struct {
    int transA, transB;
    int64_t M, N, K;
    const float *A, *B;
    int64_t lda, ldb;
    float *C;
    int64_t ldc;
    float alpha, beta;
    const float *bias;  // per column of C, added once; NULL: none
    const float *mask;  // C[i][j] = mask[i * ldmask + j] > 0 ? C[i][j] : 0, last; NULL: none
    int64_t ldmask;
    int relu;           // C = C <= 0 ? 0 : C (NaN stays NaN), before the mask
} fp_problem_t;

/// What the last stage of a kernel does to a tile. `bias` and `mask` are offset by the caller
/// to the tile's first column (and row, for the mask).
typedef struct {
    float alpha, beta;
    int64_t ldmask;
    int relu;
} fp_epilogue_t;

/// Packed macro-kernel over an mc x nc block of C for one kc-deep slice of K. `first`: the
/// slice that applies beta and the bias; `last`: the slice that applies ReLU and the mask.
typedef void (*fp_macro_fn)(int64_t mc, int64_t nc, int64_t kc, const float *ap, const float *bp,
                            float *c, int64_t ldc, const fp_epilogue_t *e, const float *bias,
                            const float *mask, int first, int last);

/// Unpacked kernel computing columns [j_begin, j_end) of C. `scratch` holds K x direct_nr floats.
typedef void (*fp_direct_fn)(const fp_problem_t *p, int64_t j_begin, int64_t j_end, float *scratch);

typedef struct {
    const char *name;
    fp_macro_fn macro;
    fp_direct_fn broadcast;  // op(B) rows read in place (transB == 0); A by scalar broadcast
    fp_direct_fn dot;        // rows of A and of B read in place (transA == 0, transB == 1)
    int mr, nr;              // packed register tile
    int direct_nr;           // broadcast kernel's column block
} fp_kernel_t;

extern const fp_kernel_t fp_kernel_portable;
#if defined(__x86_64__) || defined(__i386__)
extern const fp_kernel_t fp_kernel_avx2;
extern const fp_kernel_t fp_kernel_avx512;
#endif

/// Packing; `vector` != 0 lets them use AVX2 (only passed when the CPU has it).
void fp_pack_a(int transA, const float *A, int64_t lda, int64_t i0, int64_t k0, int64_t mc,
               int64_t kc, int mr, int vector, float *restrict out);
void fp_pack_b(int transB, const float *B, int64_t ldb, int64_t k0, int64_t j0, int64_t kc,
               int64_t nc, int nr, int vector, float *restrict out);

/// Runs task(context, i) for i in 0 ..< tasks on up to `threads` threads (the caller is one of
/// them) from a persistent pool. Which thread runs a task never changes what the task computes.
void fp_pool_run(int threads, int tasks, void (*task)(void *context, int index), void *context);

#endif
