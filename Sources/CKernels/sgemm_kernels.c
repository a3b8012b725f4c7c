// The SGEMM kernels, compiled once per target with per-function target attributes (SwiftPM
// forbids unsafeFlags in dependencies, so -march=native is not an option): AVX-512 (8 x 32
// packed tile, 4 x 4 dot tile), AVX2+FMA (6 x 16, 3 x 3) and baseline C (4 x 16, 2 x 2). The
// driver in sgemm.c picks one at run time through CPUID/XGETBV.
#include "sgemm_internal.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FP_X86 1
#endif

// The portable kernels pass 8-wide vectors between always-inlined helpers; no call ever
// crosses an ABI boundary, so the AVX-ABI warning does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

#define FP_STR2(x) #x
#define FP_STRINGIFY(x) FP_STR2(x)

typedef float v16 __attribute__((ext_vector_type(16), aligned(4)));
typedef int v16i __attribute__((ext_vector_type(16), aligned(4)));
typedef float v8 __attribute__((ext_vector_type(8), aligned(4)));
typedef int v8i __attribute__((ext_vector_type(8), aligned(4)));

#ifdef FP_X86
#define TARGET_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))
#define TARGET_AVX2 __attribute__((target("avx2,fma")))

TARGET_AVX512 static inline v16 loadn_avx512(const float *p, int64_t n) {
    return (v16)_mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1u), p);
}

static const int32_t fp_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

TARGET_AVX2 static inline v8 loadn_avx2(const float *p, int64_t n) {
    __m256i mask = _mm256_loadu_si256((const __m256i *)(fp_mask_table + 8 - n));
    return (v8)_mm256_maskload_ps(p, mask);
}

#define SUFFIX avx512
#define TARGET TARGET_AVX512
#define VT v16
#define VTI v16i
#define VW 16
#define MR 8
#define NV 2
#define DMR 4
#define DNR 4
#define LOADN loadn_avx512
#include "sgemm_kernel_body.h"

#define SUFFIX avx2
#define TARGET TARGET_AVX2
#define VT v8
#define VTI v8i
#define VW 8
#define MR 6
#define NV 2
#define DMR 3
#define DNR 3
#define LOADN loadn_avx2
#include "sgemm_kernel_body.h"
#endif

static inline __attribute__((always_inline)) v8 loadn_portable(const float *p, int64_t n) {
    v8 v = (v8)0.0f;
    memcpy(&v, p, sizeof(float) * (size_t)n);
    return v;
}

#define SUFFIX portable
#define TARGET
#define VT v8
#define VTI v8i
#define VW 8
#define MR 4
#define NV 2
#define DMR 2
#define DNR 2
#define LOADN loadn_portable
#include "sgemm_kernel_body.h"
