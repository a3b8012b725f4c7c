// Packing for the packed SGEMM path (memory bound; compiled once for the baseline target).
// Each routine walks its source along rows, where memory is contiguous, and scatters into the
// panel, which stays in L1: gathering down a column instead touches one cache line per element.
#include "sgemm_internal.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/// out[k * ldo + r] = src[r * lds + k] for 8 rows r and k < len: 8 x 8 blocks transposed in
/// registers (unpack, shuffle, permute), so both the loads and the stores are whole vectors.
__attribute__((target("avx2,fma"))) static void transpose8(const float *src, int64_t lds,
                                                          int64_t len, float *out, int64_t ldo) {
    int64_t k = 0;
    for (; k + 8 <= len; k += 8) {
        __m256 r0 = _mm256_loadu_ps(src + 0 * lds + k), r1 = _mm256_loadu_ps(src + 1 * lds + k);
        __m256 r2 = _mm256_loadu_ps(src + 2 * lds + k), r3 = _mm256_loadu_ps(src + 3 * lds + k);
        __m256 r4 = _mm256_loadu_ps(src + 4 * lds + k), r5 = _mm256_loadu_ps(src + 5 * lds + k);
        __m256 r6 = _mm256_loadu_ps(src + 6 * lds + k), r7 = _mm256_loadu_ps(src + 7 * lds + k);
        __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
        __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
        __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
        __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
        __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
        __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
        __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
        __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
        float *o = out + k * ldo;
        _mm256_storeu_ps(o + 0 * ldo, _mm256_permute2f128_ps(u0, u4, 0x20));
        _mm256_storeu_ps(o + 1 * ldo, _mm256_permute2f128_ps(u1, u5, 0x20));
        _mm256_storeu_ps(o + 2 * ldo, _mm256_permute2f128_ps(u2, u6, 0x20));
        _mm256_storeu_ps(o + 3 * ldo, _mm256_permute2f128_ps(u3, u7, 0x20));
        _mm256_storeu_ps(o + 4 * ldo, _mm256_permute2f128_ps(u0, u4, 0x31));
        _mm256_storeu_ps(o + 5 * ldo, _mm256_permute2f128_ps(u1, u5, 0x31));
        _mm256_storeu_ps(o + 6 * ldo, _mm256_permute2f128_ps(u2, u6, 0x31));
        _mm256_storeu_ps(o + 7 * ldo, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
    for (; k < len; k++)
        for (int r = 0; r < 8; r++) out[k * ldo + r] = src[r * lds + k];
}
#define FP_HAVE_TRANSPOSE8 1
#endif

/// Packs op(A)[i0 .. i0+mc) x [k0 .. k0+kc) into row panels of height mr, zero-padded.
void fp_pack_a(int transA, const float *A, int64_t lda, int64_t i0, int64_t k0, int64_t mc,
               int64_t kc, int mr, int vector, float *restrict out) {
    for (int64_t ib = 0; ib < mc; ib += mr) {
        int64_t rows = mc - ib < mr ? mc - ib : mr;
        if (transA) {  // A is K x M: a panel row is a contiguous run of A's row
            for (int64_t k = 0; k < kc; k++) {
                const float *src = A + (k0 + k) * lda + i0 + ib;
                float *dst = out + k * mr;
                for (int64_t r = 0; r < rows; r++) dst[r] = src[r];
                for (int64_t r = rows; r < mr; r++) dst[r] = 0.0f;
            }
        } else {
            int64_t r = 0;
#ifdef FP_HAVE_TRANSPOSE8
            if (vector)
                for (; r + 8 <= rows; r += 8)
                    transpose8(A + (i0 + ib + r) * lda + k0, lda, kc, out + r, mr);
#endif
            for (; r < rows; r++) {
                const float *src = A + (i0 + ib + r) * lda + k0;
                for (int64_t k = 0; k < kc; k++) out[k * mr + r] = src[k];
            }
            for (int64_t r = rows; r < mr; r++)
                for (int64_t k = 0; k < kc; k++) out[k * mr + r] = 0.0f;
        }
        out += kc * mr;
    }
}

/// Packs op(B)[k0 .. k0+kc) x [j0 .. j0+nc) into column panels of width nr, zero-padded.
void fp_pack_b(int transB, const float *B, int64_t ldb, int64_t k0, int64_t j0, int64_t kc,
               int64_t nc, int nr, int vector, float *restrict out) {
    for (int64_t jb = 0; jb < nc; jb += nr) {
        int64_t cols = nc - jb < nr ? nc - jb : nr;
        if (!transB) {
            for (int64_t k = 0; k < kc; k++) {
                const float *src = B + (k0 + k) * ldb + j0 + jb;
                memcpy(out + k * nr, src, sizeof(float) * (size_t)cols);
                for (int64_t c = cols; c < nr; c++) out[k * nr + c] = 0.0f;
            }
        } else {  // B is N x K: each of the panel's columns is a contiguous run of B's row
            int64_t c = 0;
#ifdef FP_HAVE_TRANSPOSE8
            if (vector)
                for (; c + 8 <= cols; c += 8)
                    transpose8(B + (j0 + jb + c) * ldb + k0, ldb, kc, out + c, nr);
#endif
            for (; c < cols; c++) {
                const float *src = B + (j0 + jb + c) * ldb + k0;
                for (int64_t k = 0; k < kc; k++) out[k * nr + c] = src[k];
            }
            for (int64_t c = cols; c < nr; c++)
                for (int64_t k = 0; k < kc; k++) out[k * nr + c] = 0.0f;
        }
        out += kc * nr;
    }
}
