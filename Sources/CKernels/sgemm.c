// SGEMM driver: run-time kernel selection, the choice between the packed BLIS-style path and
// the unpacked paths for thin shapes, cache blocking, and the split across threads.
//
// Packed path (BLIS / GotoBLAS): B is packed into NR-wide column panels, A into MR-tall row
// panels, and a register-tiled micro-kernel accumulates an MR x NR tile of C in vector
// registers. When a dimension is small (a 10-class output layer, a 1-D network's single output, a batch of 1)
// packing and zero padding cost more than the product, so two unpacked kernels read the
// operands where they lie instead: "broadcast" when op(B) has contiguous rows, "dot" when A
// and B rows are both contiguous along K. The choice depends on the shape only, never on the
// thread count, so results are bit-identical for any number of threads.
#include "CKernels.h"
#include "sgemm_internal.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define FP_X86 1
#endif

enum { KC = 256, MC_BLOCK = 96, NC_BLOCK = 3072, THIN = 16 };

// ---------------------------------------------------------------------------------------------
// Run-time selection.

static int cpu_level(void) {  // 1 portable, 2 avx2+fma, 3 avx512f
#ifdef FP_X86
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 1;
    int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!(fma && osxsave && avx)) return 1;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 0x6) != 0x6) return 1;  // OS saves XMM and YMM state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 1;
    int avx2 = (ebx >> 5) & 1, avx512f = (ebx >> 16) & 1, avx512vl = (ebx >> 31) & 1;
    if (!avx2) return 1;
    if (avx512f && avx512vl && (xcr0_lo & 0xE0) == 0xE0) return 3;  // opmask, ZMM state saved
    return 2;
#else
    return 1;
#endif
}


static int detected_level(void) {
    static int detected = 0;
    if (detected == 0) detected = cpu_level();  // idempotent, so a benign race
    return detected;
}

static const fp_kernel_t *kernel_for_level(int level) {
#ifdef FP_X86
    if (level >= 3) return &fp_kernel_avx512;
    if (level == 2) return &fp_kernel_avx2;
#endif
    return &fp_kernel_portable;
}

static const fp_kernel_t *select_kernel(void) {
    return kernel_for_level(detected_level());
}

const char *fp_sgemm_kernel_name(void) { return select_kernel()->name; }


// ---------------------------------------------------------------------------------------------
// Shapes.

enum path { PATH_PACKED, PATH_BROADCAST, PATH_DOT };

static enum path choose_path(const fp_problem_t *p) {
    // A short K alone (K = 10, or 1 in a 1-D network's first layer) is left to the packed
    // path: packing K x (M + N) numbers is cheap next to writing M x N, and measured faster.
    if (!p->transB && (p->M <= THIN || p->N <= THIN)) return PATH_BROADCAST;
    if (p->transB && !p->transA && (p->M <= THIN || p->N <= THIN)) return PATH_DOT;
    return PATH_PACKED;
}

/// Rewrites transposes that only differ in stride when a dimension is 1, so a vector operand
/// reads contiguously: a 1-wide op(A) or op(B) is the same numbers either way.
static void normalize(fp_problem_t *p) {
    if (p->K == 1) {
        if (p->transA) { p->transA = 0; p->lda = 1; }
        if (p->transB && p->ldb == 1) { p->transB = 0; p->ldb = p->N; }
    }
    if (p->M == 1 && p->transA && p->lda == 1) { p->transA = 0; p->lda = p->K; }
    if (p->N == 1 && !p->transB && p->ldb == 1) { p->transB = 1; p->ldb = p->K; }
}

/// A single-column C with no per-column epilogue is also the single row Cᵀ = op(B)ᵀ op(A)ᵀ;
/// computing that row lets the broadcast kernel stream A instead of packing it.
static void swap_if_column(fp_problem_t *p) {
    if (p->N != 1 || p->M == 1 || p->ldc != 1 || p->bias || p->mask) return;
    if (choose_path(p) != PATH_PACKED) return;
    fp_problem_t q = *p;
    q.M = 1; q.N = p->M;
    q.A = p->B; q.transA = !p->transB; q.lda = p->ldb;
    q.B = p->A; q.transB = !p->transA; q.ldb = p->lda;
    q.ldc = p->M;
    normalize(&q);
    if (choose_path(&q) != PATH_PACKED) *p = q;
}

// ---------------------------------------------------------------------------------------------
// Work on a range of columns.

// Per-thread buffers, grown on demand and kept (the pool's workers live for the process), so a
// training loop's steady state allocates nothing.
static _Thread_local float *tl_apack = NULL, *tl_bpack = NULL;
static _Thread_local size_t tl_apack_n = 0, tl_bpack_n = 0;

static float *reserve(float **buffer, size_t *have, size_t need) {
    if (*have < need) {
        free(*buffer);
        *buffer = aligned_alloc(64, ((need * sizeof(float) + 63) / 64) * 64);
        *have = *buffer ? need : 0;
    }
    return *buffer;
}

/// Splits n into equal blocks of at most `block`, rounded up to `unit`: 784 becomes 4 x 196,
/// not 3 x 256 + 16, so no block is a sliver that spends more on C than on the product.
static int64_t balanced(int64_t n, int64_t block, int64_t unit) {
    int64_t count = (n + block - 1) / block;
    int64_t size = (n + count - 1) / count;
    return (size + unit - 1) / unit * unit;
}

static int run_packed(const fp_kernel_t *kr, const fp_problem_t *p, int64_t j_begin, int64_t j_end) {
    int64_t ncols = j_end - j_begin;
    int64_t nc_max = ncols < NC_BLOCK ? ncols : NC_BLOCK;
    int64_t kc_step = balanced(p->K, KC, 1), mc_step = balanced(p->M, MC_BLOCK, kr->mr);
    size_t bneed = (size_t)((nc_max + kr->nr - 1) / kr->nr * kr->nr) * (size_t)kc_step;
    size_t aneed = (size_t)mc_step * (size_t)kc_step;
    float *bp = reserve(&tl_bpack, &tl_bpack_n, bneed);
    float *ap = reserve(&tl_apack, &tl_apack_n, aneed);
    if (!bp || !ap) return -1;
    const fp_epilogue_t e = {p->alpha, p->beta, p->ldmask, p->relu};
    const int vector = kr != &fp_kernel_portable;  // the AVX2 and AVX-512 kernels imply AVX2
    for (int64_t j0 = j_begin; j0 < j_end; j0 += NC_BLOCK) {
        int64_t nc = j_end - j0 < NC_BLOCK ? j_end - j0 : NC_BLOCK;
        for (int64_t k0 = 0; k0 < p->K; k0 += kc_step) {
            int64_t kc = p->K - k0 < kc_step ? p->K - k0 : kc_step;
            int first = k0 == 0, last = k0 + kc >= p->K;
            fp_pack_b(p->transB, p->B, p->ldb, k0, j0, kc, nc, kr->nr, vector, bp);
            for (int64_t i0 = 0; i0 < p->M; i0 += mc_step) {
                int64_t mc = p->M - i0 < mc_step ? p->M - i0 : mc_step;
                fp_pack_a(p->transA, p->A, p->lda, i0, k0, mc, kc, kr->mr, vector, ap);
                kr->macro(mc, nc, kc, ap, bp, p->C + i0 * p->ldc + j0, p->ldc, &e,
                          p->bias ? p->bias + j0 : NULL,
                          p->mask ? p->mask + i0 * p->ldmask + j0 : NULL, first, last);
            }
        }
    }
    return 0;
}

/// Fallback when a buffer cannot be allocated: a plain loop with the same epilogue.
static void naive(const fp_problem_t *p, int64_t j_begin, int64_t j_end) {
    for (int64_t i = 0; i < p->M; i++)
        for (int64_t c = j_begin; c < j_end; c++) {
            float sum = 0.0f;
            for (int64_t k = 0; k < p->K; k++) {
                float a = p->transA ? p->A[k * p->lda + i] : p->A[i * p->lda + k];
                float b = p->transB ? p->B[c * p->ldb + k] : p->B[k * p->ldb + c];
                sum += a * b;
            }
            float *dst = p->C + i * p->ldc + c;
            float x = p->alpha * sum;
            if (p->beta != 0.0f) x += p->beta * *dst;
            if (p->bias) x += p->bias[c];
            if (p->relu && x <= 0.0f) x = 0.0f;
            if (p->mask && !(p->mask[i * p->ldmask + c] > 0.0f)) x = 0.0f;
            *dst = x;
        }
}

typedef struct {
    const fp_kernel_t *kernel;
    fp_problem_t problem;
    enum path path;
    int64_t per;  // columns per task
} job_t;

static void run_range(void *context, int index) {
    const job_t *job = context;
    const fp_problem_t *p = &job->problem;
    int64_t begin = (int64_t)index * job->per;
    int64_t end = begin + job->per < p->N ? begin + job->per : p->N;
    if (begin >= end) return;
    int status = 0;
    if (job->path == PATH_PACKED) {
        status = run_packed(job->kernel, p, begin, end);
    } else {
        size_t need = (size_t)p->K * (size_t)job->kernel->direct_nr;
        float *scratch = job->path == PATH_BROADCAST ? reserve(&tl_bpack, &tl_bpack_n, need) : NULL;
        if (job->path == PATH_BROADCAST && !scratch) status = -1;
        else if (job->path == PATH_BROADCAST) job->kernel->broadcast(p, begin, end, scratch);
        else job->kernel->dot(p, begin, end, NULL);
    }
    if (status != 0) naive(p, begin, end);
}

static void sgemm(const fp_kernel_t *kr, fp_problem_t p, int threads) {
    if (p.M <= 0 || p.N <= 0) return;
    if (p.K <= 0) {  // C = epilogue(beta * C)
        p.K = 0;
        naive(&p, 0, p.N);
        return;
    }
    normalize(&p);
    swap_if_column(&p);
    job_t job = {kr, p, choose_path(&p), p.N};
    // Threads split the columns of C, only for products of tens of MFLOPs: below that, waking
    // a worker and packing A twice cost more than half the product saves.
    int64_t unit = job.path == PATH_PACKED || job.path == PATH_BROADCAST ? kr->nr : 4;
    double flops = 2.0 * (double)p.M * (double)p.N * (double)p.K;
    int workers = threads < 1 ? 1 : threads > 16 ? 16 : threads;
    if (flops < 3.0e7 || p.N < 2 * unit) workers = 1;
    int tasks = 1;
    if (workers > 1) {
        job.per = ((p.N + workers - 1) / workers + unit - 1) / unit * unit;
        tasks = (int)((p.N + job.per - 1) / job.per);
    }
    fp_pool_run(workers, tasks, run_range, &job);
}

static fp_problem_t problem(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                            const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                            float *C, int64_t ldc) {
    fp_problem_t p = {transA != 0, transB != 0, M, N, K, A, B, lda, ldb, C, ldc, alpha, beta,
                      NULL, NULL, 0, 0};
    return p;
}

void fp_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
              float *C, int64_t ldc, int threads) {
    sgemm(select_kernel(), problem(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc),
          threads);
}

int fp_sgemm_with_kernel(int kernel, int transA, int transB, int64_t M, int64_t N, int64_t K,
                         float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                         float beta, float *C, int64_t ldc, int threads) {
    return fp_sgemm_fused_with_kernel(kernel, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta,
                                      C, ldc, NULL, 0, NULL, 0, threads);
}

void fp_sgemm_fused(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                    const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                    float *C, int64_t ldc, const float *bias, int relu, const float *mask,
                    int64_t ldmask, int threads) {
    fp_problem_t p = problem(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    p.bias = bias; p.relu = relu != 0; p.mask = mask; p.ldmask = ldmask;
    sgemm(select_kernel(), p, threads);
}

int fp_sgemm_fused_with_kernel(int kernel, int transA, int transB, int64_t M, int64_t N,
                               int64_t K, float alpha, const float *A, int64_t lda,
                               const float *B, int64_t ldb, float beta, float *C, int64_t ldc,
                               const float *bias, int relu, const float *mask, int64_t ldmask,
                               int threads) {
    if (kernel < 0 || kernel > 3 || (kernel > 1 && kernel > cpu_level())) return -1;
    const fp_kernel_t *kr = kernel == 0 ? select_kernel() : kernel_for_level(kernel);
    fp_problem_t p = problem(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    p.bias = bias; p.relu = relu != 0; p.mask = mask; p.ldmask = ldmask;
    sgemm(kr, p, threads);
    return 0;
}
