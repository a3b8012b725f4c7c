// Packed, cache-blocked SGEMM in the manner of BLIS / GotoBLAS: B is packed into NR-wide
// column panels, A into MR-tall row panels, and a register-tiled micro-kernel accumulates an
// MR x NR tile of C in vector registers.
//
// SwiftPM forbids unsafeFlags in dependencies, so the package cannot be compiled with
// -march=native. Instead the micro-kernel and macro-kernel are compiled three times with
// per-function target attributes (AVX-512, AVX2+FMA, baseline) and the best one the CPU and
// OS support is chosen once at run time through CPUID/XGETBV.
#include "CKernels.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define FP_X86 1
#endif

typedef float v16 __attribute__((ext_vector_type(16), aligned(4)));
typedef float v8 __attribute__((ext_vector_type(8), aligned(4)));

enum { KC = 256, MC_BLOCK = 96, NC_BLOCK = 3072 };

// ---------------------------------------------------------------------------------------------
// Packing (memory bound; compiled once for the baseline target).

/// Packs op(A)[i0 .. i0+mc) x [k0 .. k0+kc) into row panels of height mr, zero-padded.
static void pack_a(int transA, const float *A, int64_t lda, int64_t i0, int64_t k0, int64_t mc,
                   int64_t kc, int mr, float *restrict out) {
    for (int64_t ib = 0; ib < mc; ib += mr) {
        int64_t rows = mc - ib < mr ? mc - ib : mr;
        for (int64_t k = 0; k < kc; k++) {
            for (int64_t r = 0; r < rows; r++) {
                int64_t i = i0 + ib + r, kk = k0 + k;
                out[r] = transA ? A[kk * lda + i] : A[i * lda + kk];
            }
            for (int64_t r = rows; r < mr; r++) out[r] = 0.0f;
            out += mr;
        }
    }
}

/// Packs op(B)[k0 .. k0+kc) x [j0 .. j0+nc) into column panels of width nr, zero-padded.
static void pack_b(int transB, const float *B, int64_t ldb, int64_t k0, int64_t j0, int64_t kc,
                   int64_t nc, int nr, float *restrict out) {
    for (int64_t jb = 0; jb < nc; jb += nr) {
        int64_t cols = nc - jb < nr ? nc - jb : nr;
        if (!transB && cols == nr) {
            for (int64_t k = 0; k < kc; k++) {
                memcpy(out, B + (k0 + k) * ldb + j0 + jb, sizeof(float) * (size_t)nr);
                out += nr;
            }
            continue;
        }
        for (int64_t k = 0; k < kc; k++) {
            for (int64_t c = 0; c < cols; c++) {
                int64_t j = j0 + jb + c, kk = k0 + k;
                out[c] = transB ? B[j * ldb + kk] : B[kk * ldb + j];
            }
            for (int64_t c = cols; c < nr; c++) out[c] = 0.0f;
            out += nr;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Micro- and macro-kernels, written once with vector extensions and instantiated per target.
// VT is the vector type, VW its width, MR x (NV * VW) the register tile.

#define FP_DEFINE_KERNELS(SUFFIX, TARGET, VT, VW, MR, NV)                                          \
    TARGET static void micro_##SUFFIX(int64_t kc, const float *restrict a, const float *restrict b, \
                                      float *restrict c, int64_t ldc, float alpha, float beta,     \
                                      int64_t rows, int64_t cols) {                                \
        VT acc[MR][NV];                                                                            \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++)                            \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) acc[r][v] = (VT)0.0f;  \
        for (int64_t k = 0; k < kc; k++) {                                                         \
            VT bv[NV];                                                                             \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)                        \
                bv[v] = *(const VT *)(b + v * VW);                                                 \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                      \
                VT av = (VT)a[r];                                                                  \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)                    \
                    acc[r][v] = acc[r][v] + av * bv[v];                                            \
            }                                                                                      \
            a += MR;                                                                               \
            b += NV * VW;                                                                          \
        }                                                                                          \
        if (rows == MR && cols == NV * VW) {                                                       \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                      \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) {                  \
                    VT *dst = (VT *)(c + r * ldc + v * VW);                                        \
                    *dst = (beta == 0.0f) ? alpha * acc[r][v] : alpha * acc[r][v] + beta * *dst;   \
                }                                                                                  \
            }                                                                                      \
        } else {                                                                                   \
            float tile[MR][NV * VW];                                                               \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++)                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)                    \
                    *(VT *)(&tile[r][v * VW]) = acc[r][v];                                         \
            for (int64_t r = 0; r < rows; r++)                                                     \
                for (int64_t j = 0; j < cols; j++) {                                               \
                    float *dst = c + r * ldc + j;                                                  \
                    *dst = (beta == 0.0f) ? alpha * tile[r][j] : alpha * tile[r][j] + beta * *dst; \
                }                                                                                  \
        }                                                                                          \
    }                                                                                              \
    TARGET static void macro_##SUFFIX(int64_t mc, int64_t nc, int64_t kc, const float *ap,         \
                                      const float *bp, float *c, int64_t ldc, float alpha,         \
                                      float beta) {                                                \
        const int NR = NV * VW;                                                                    \
        for (int64_t jb = 0; jb < nc; jb += NR) {                                                  \
            int64_t cols = nc - jb < NR ? nc - jb : NR;                                            \
            const float *b = bp + jb * kc;                                                         \
            for (int64_t ib = 0; ib < mc; ib += MR) {                                              \
                int64_t rows = mc - ib < MR ? mc - ib : MR;                                        \
                micro_##SUFFIX(kc, ap + ib * kc, b, c + ib * ldc + jb, ldc, alpha, beta, rows,     \
                               cols);                                                              \
            }                                                                                      \
        }                                                                                          \
    }

#ifdef FP_X86
FP_DEFINE_KERNELS(avx512, __attribute__((target("avx512f,avx512vl,avx2,fma"))), v16, 16, 8, 2)
FP_DEFINE_KERNELS(avx2, __attribute__((target("avx2,fma"))), v8, 8, 6, 2)
#endif
FP_DEFINE_KERNELS(portable, , v8, 8, 4, 2)

typedef void (*macro_fn)(int64_t, int64_t, int64_t, const float *, const float *, float *, int64_t,
                         float, float);

typedef struct {
    const char *name;
    macro_fn macro;
    int mr, nr;
} kernel_t;

static const kernel_t kernel_portable = {"portable", macro_portable, 4, 16};
#ifdef FP_X86
static const kernel_t kernel_avx2 = {"avx2", macro_avx2, 6, 16};
static const kernel_t kernel_avx512 = {"avx512", macro_avx512, 8, 32};
#endif

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

static int forced_kernel = 0;

static int detected_level(void) {
    static int detected = 0;
    if (detected == 0) detected = cpu_level();  // idempotent, so a benign race
    return detected;
}

static const kernel_t *kernel_for_level(int level) {
#ifdef FP_X86
    if (level >= 3) return &kernel_avx512;
    if (level == 2) return &kernel_avx2;
#endif
    return &kernel_portable;
}

static const kernel_t *select_kernel(void) {
    return kernel_for_level(forced_kernel ? forced_kernel : detected_level());
}

const char *fp_sgemm_kernel_name(void) { return select_kernel()->name; }

int fp_sgemm_force_kernel(int kernel) {
    if (kernel < 0 || kernel > 3) return -1;
    if (kernel > 1 && kernel > cpu_level()) return -1;
    forced_kernel = kernel;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Driver.

typedef struct {
    const kernel_t *kernel;
    int transA, transB;
    int64_t M, N, K;
    float alpha, beta;
    const float *A, *B;
    int64_t lda, ldb, ldc;
    float *C;
    int64_t j_begin, j_end;  // the columns of C this worker computes
} job_t;

// Per-thread packing buffers, grown on demand and kept, so a training loop's steady state
// allocates nothing.
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

static int run_job(const job_t *job) {
    const kernel_t *kr = job->kernel;
    int64_t ncols = job->j_end - job->j_begin;
    int64_t nc_max = ncols < NC_BLOCK ? ncols : NC_BLOCK;
    int64_t kc_max = job->K < KC ? job->K : KC;
    int64_t mc_max = job->M < MC_BLOCK ? job->M : MC_BLOCK;
    size_t bneed = (size_t)((nc_max + kr->nr - 1) / kr->nr * kr->nr) * (size_t)kc_max;
    size_t aneed = (size_t)((mc_max + kr->mr - 1) / kr->mr * kr->mr) * (size_t)kc_max;
    float *bp = reserve(&tl_bpack, &tl_bpack_n, bneed);
    float *ap = reserve(&tl_apack, &tl_apack_n, aneed);
    if (!bp || !ap) return -1;
    for (int64_t j0 = job->j_begin; j0 < job->j_end; j0 += NC_BLOCK) {
        int64_t nc = job->j_end - j0 < NC_BLOCK ? job->j_end - j0 : NC_BLOCK;
        for (int64_t k0 = 0; k0 < job->K; k0 += KC) {
            int64_t kc = job->K - k0 < KC ? job->K - k0 : KC;
            float beta = k0 == 0 ? job->beta : 1.0f;
            pack_b(job->transB, job->B, job->ldb, k0, j0, kc, nc, kr->nr, bp);
            for (int64_t i0 = 0; i0 < job->M; i0 += MC_BLOCK) {
                int64_t mc = job->M - i0 < MC_BLOCK ? job->M - i0 : MC_BLOCK;
                pack_a(job->transA, job->A, job->lda, i0, k0, mc, kc, kr->mr, ap);
                kr->macro(mc, nc, kc, ap, bp, job->C + i0 * job->ldc + j0, job->ldc, job->alpha, beta);
            }
        }
    }
    return 0;
}

static void *run_job_thread(void *arg) {
    job_t *job = (job_t *)arg;
    if (run_job(job) != 0) job->kernel = NULL;  // tells the caller to finish it naively
    // This thread ends now: release its packing buffers.
    free(tl_apack); free(tl_bpack);
    tl_apack = tl_bpack = NULL; tl_apack_n = tl_bpack_n = 0;
    return NULL;
}

static void naive(const job_t *j) {  // fallback when a packing buffer cannot be allocated
    for (int64_t i = 0; i < j->M; i++)
        for (int64_t c = j->j_begin; c < j->j_end; c++) {
            float sum = 0.0f;
            for (int64_t k = 0; k < j->K; k++) {
                float a = j->transA ? j->A[k * j->lda + i] : j->A[i * j->lda + k];
                float b = j->transB ? j->B[c * j->ldb + k] : j->B[k * j->ldb + c];
                sum += a * b;
            }
            float *dst = j->C + i * j->ldc + c;
            *dst = j->beta == 0.0f ? j->alpha * sum : j->alpha * sum + j->beta * *dst;
        }
}

static void sgemm(const kernel_t *kr, int transA, int transB, int64_t M, int64_t N, int64_t K,
                  float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                  float beta, float *C, int64_t ldc, int threads) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {  // C = beta * C
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
        return;
    }
    job_t job = {kr, transA, transB, M, N, K, alpha, beta, A, B, lda, ldb, ldc, C, 0, N};
    // Threads split the columns of C; only worth it when each gets a few million FLOPs.
    double flops = 2.0 * (double)M * (double)N * (double)K;
    int workers = threads < 1 ? 1 : threads;
    if (workers > 1 && (flops < 3.0e7 || N < 2 * kr->nr)) workers = 1;
    if (workers > 16) workers = 16;
    if (workers == 1) {
        if (run_job(&job) != 0) naive(&job);
        return;
    }
    job_t jobs[16];
    pthread_t tids[16];
    int started[16] = {0};
    int64_t per = (N + workers - 1) / workers;
    per = (per + kr->nr - 1) / kr->nr * kr->nr;
    int count = 0;
    for (int w = 0; w < workers; w++) {
        int64_t begin = (int64_t)w * per, end = begin + per < N ? begin + per : N;
        if (begin >= end) break;
        jobs[count] = job;
        jobs[count].j_begin = begin;
        jobs[count].j_end = end;
        count++;
    }
    for (int w = 1; w < count; w++)
        started[w] = pthread_create(&tids[w], NULL, run_job_thread, &jobs[w]) == 0;
    if (run_job(&jobs[0]) != 0) naive(&jobs[0]);
    for (int w = 1; w < count; w++) {
        if (started[w]) {
            pthread_join(tids[w], NULL);
            if (jobs[w].kernel == NULL) naive(&jobs[w]);
        } else if (run_job(&jobs[w]) != 0) naive(&jobs[w]);
    }
}

void fp_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
              float *C, int64_t ldc, int threads) {
    sgemm(select_kernel(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads);
}

int fp_sgemm_with_kernel(int kernel, int transA, int transB, int64_t M, int64_t N, int64_t K,
                         float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                         float beta, float *C, int64_t ldc, int threads) {
    if (kernel < 0 || kernel > 3 || (kernel > 1 && kernel > cpu_level())) return -1;
    const kernel_t *kr = kernel == 0 ? select_kernel() : kernel_for_level(kernel);
    sgemm(kr, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads);
    return 0;
}
