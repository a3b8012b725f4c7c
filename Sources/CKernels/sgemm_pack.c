// Packing for the packed SGEMM path (memory bound; compiled once for the baseline target).
// Each routine walks its source along rows, where memory is contiguous, and scatters into the
// panel, which stays in L1: gathering down a column instead touches one cache line per element.
#include "sgemm_internal.h"

#include <string.h>

/// Packs op(A)[i0 .. i0+mc) x [k0 .. k0+kc) into row panels of height mr, zero-padded.
void fp_pack_a(int transA, const float *A, int64_t lda, int64_t i0, int64_t k0, int64_t mc,
               int64_t kc, int mr, float *restrict out) {
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
            for (int64_t r = 0; r < rows; r++) {
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
               int64_t nc, int nr, float *restrict out) {
    for (int64_t jb = 0; jb < nc; jb += nr) {
        int64_t cols = nc - jb < nr ? nc - jb : nr;
        if (!transB) {
            for (int64_t k = 0; k < kc; k++) {
                const float *src = B + (k0 + k) * ldb + j0 + jb;
                memcpy(out + k * nr, src, sizeof(float) * (size_t)cols);
                for (int64_t c = cols; c < nr; c++) out[k * nr + c] = 0.0f;
            }
        } else {  // B is N x K: each of the panel's columns is a contiguous run of B's row
            for (int64_t c = 0; c < cols; c++) {
                const float *src = B + (j0 + jb + c) * ldb + k0;
                for (int64_t k = 0; k < kc; k++) out[k * nr + c] = src[k];
            }
            for (int64_t c = cols; c < nr; c++)
                for (int64_t k = 0; k < kc; k++) out[k * nr + c] = 0.0f;
        }
        out += kc * nr;
    }
}
