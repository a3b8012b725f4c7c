// One target's SGEMM kernels, included once per target by sgemm_kernels.c (no include guard).
// Before including, define: SUFFIX, TARGET (a function attribute, possibly empty), VT (float
// vector type), VTI (int vector of the same width), VW (its width), MR x NV (packed and
// broadcast register tile: MR rows, NV vectors), DMR x DNR (dot tile) and LOADN(p, n) (loads n
// < VW floats, zero-filling the rest).
//
// Every output element is computed by the same sequence of operations whatever tile, column
// range or thread it falls in, so results never depend on the thread count.

#define FP_CAT3(a, b) a##_##b
#define FP_CAT2(a, b) FP_CAT3(a, b)
#define FN(name) FP_CAT2(name, SUFFIX)
#define FP_NR (NV * VW)
#define FP_INLINE TARGET static inline __attribute__((always_inline))

/// The epilogue on one vector of results; `c`, `bias`, `mask` point at VW floats.
FP_INLINE void FN(finish)(VT acc, float *c, const float *bias, const float *mask,
                          const fp_epilogue_t *e, int first, int last) {
    VT x = e->alpha * acc;
    if (first) {
        if (e->beta != 0.0f) x += e->beta * *(const VT *)c;
        if (bias) x += *(const VT *)bias;
    } else {
        x += *(const VT *)c;
    }
    if (last) {
        if (e->relu) x = (VT)((VTI)x & ~(x <= (VT)0.0f));
        if (mask) x = (VT)((VTI)x & (*(const VT *)mask > (VT)0.0f));
    }
    *(VT *)c = x;
}

/// The same epilogue on one scalar (the dot kernel's results).
FP_INLINE float FN(finish1)(float acc, float c, const float *bias, const float *mask,
                            const fp_epilogue_t *e) {
    float x = e->alpha * acc;
    if (e->beta != 0.0f) x += e->beta * c;
    if (bias) x += *bias;
    if (e->relu && x <= 0.0f) x = 0.0f;
    if (mask && !(*mask > 0.0f)) x = 0.0f;
    return x;
}

/// Writes an R x FP_NR accumulator tile to C (rows x cols of it valid) through the epilogue.
/// A partial tile goes through a padded copy with the very same vector operations. The
/// epilogue comes by value: behind a pointer, every store to C could alias it and its fields
/// would be reloaded and re-tested for each vector.
FP_INLINE void FN(store_tile)(const int R, VT acc[MR][NV], float *c, int64_t ldc,
                              const float *bias, const float *mask, const fp_epilogue_t epilogue,
                              int first, int last, int64_t rows, int64_t cols) {
    const fp_epilogue_t *e = &epilogue;
    if (rows == R && cols == FP_NR) {
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)
                FN(finish)(acc[r][v], c + r * ldc + v * VW, bias ? bias + v * VW : 0,
                           mask ? mask + r * e->ldmask + v * VW : 0, e, first, last);
        return;
    }
    float tc[MR][FP_NR] __attribute__((aligned(64)));
    float tm[MR][FP_NR] __attribute__((aligned(64)));
    float tb[FP_NR] __attribute__((aligned(64)));
    int read_c = !first || e->beta != 0.0f;
    for (int64_t j = 0; j < FP_NR; j++) tb[j] = bias && j < cols ? bias[j] : 0.0f;
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < FP_NR; j++) {
            tc[r][j] = read_c && j < cols ? c[r * ldc + j] : 0.0f;
            tm[r][j] = mask && j < cols ? mask[r * e->ldmask + j] : 0.0f;
        }
    for (int64_t r = 0; r < rows; r++)
        for (int v = 0; v < NV; v++)
            FN(finish)(acc[r][v], &tc[r][v * VW], bias ? tb + v * VW : 0,
                       mask ? &tm[r][v * VW] : 0, e, first, last);
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < cols; j++) c[r * ldc + j] = tc[r][j];
}

// ---------------------------------------------------------------------------------------------
// Packed path: MR x FP_NR tile from zero-padded panels.

TARGET static void FN(micro)(int64_t kc, const float *restrict a, const float *restrict b,
                             float *c, int64_t ldc, const fp_epilogue_t *e, const float *bias,
                             const float *mask, int first, int last, int64_t rows, int64_t cols) {
    VT acc[MR][NV];
    _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) acc[r][v] = (VT)0.0f;
    for (int64_t k = 0; k < kc; k++) {
        VT bv[NV];
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)
            bv[v] = *(const VT *)(b + v * VW);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
            VT av = (VT)a[r];
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)
                acc[r][v] = acc[r][v] + av * bv[v];
        }
        a += MR;
        b += FP_NR;
    }
    FN(store_tile)(MR, acc, c, ldc, bias, mask, *e, first, last, rows, cols);
}

TARGET static void FN(macro)(int64_t mc, int64_t nc, int64_t kc, const float *ap,
                             const float *bp, float *c, int64_t ldc, const fp_epilogue_t *e,
                             const float *bias, const float *mask, int first, int last) {
    for (int64_t jb = 0; jb < nc; jb += FP_NR) {
        int64_t cols = nc - jb < FP_NR ? nc - jb : FP_NR;
        const float *b = bp + jb * kc;
        for (int64_t ib = 0; ib < mc; ib += MR) {
            int64_t rows = mc - ib < MR ? mc - ib : MR;
            FN(micro)(kc, ap + ib * kc, b, c + ib * ldc + jb, ldc, e, bias ? bias + jb : 0,
                      mask ? mask + ib * e->ldmask + jb : 0, first, last, rows, cols);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Broadcast path (op(B) = B, rows contiguous): no packing. Each A element is broadcast and
// multiplied into FP_NR consecutive columns of a row of B, read where it lies.

FP_INLINE void FN(broadcast_tile)(const int R, int64_t K, const float *a, int64_t a_row,
                                  int64_t a_k, const float *b, int64_t ldb, float *c,
                                  int64_t ldc, const float *bias, const float *mask,
                                  const fp_epilogue_t *e, int64_t cols) {
    VT acc[MR][NV];
    _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) acc[r][v] = (VT)0.0f;
    for (int64_t k = 0; k < K; k++) {
        VT bv[NV];
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)
            bv[v] = *(const VT *)(b + k * ldb + v * VW);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++) {
            VT av = (VT)a[r * a_row + k * a_k];
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)
                acc[r][v] = acc[r][v] + av * bv[v];
        }
    }
    FN(store_tile)(R, acc, c, ldc, bias, mask, *e, 1, 1, R, cols);
}

TARGET static void FN(broadcast)(const fp_problem_t *p, int64_t j_begin, int64_t j_end,
                                 float *scratch) {
    const fp_epilogue_t e = {p->alpha, p->beta, p->ldmask, p->relu};
    const int64_t a_row = p->transA ? 1 : p->lda, a_k = p->transA ? p->lda : 1;
    for (int64_t j = j_begin; j < j_end; j += FP_NR) {
        int64_t cols = j_end - j < FP_NR ? j_end - j : FP_NR;
        const float *b = p->B + j;
        int64_t ldb = p->ldb;
        if (cols < FP_NR) {  // the last, narrow block: a zero-padded copy of its columns
            for (int64_t k = 0; k < p->K; k++)
                for (int64_t q = 0; q < FP_NR; q++)
                    scratch[k * FP_NR + q] = q < cols ? b[k * ldb + q] : 0.0f;
            b = scratch;
            ldb = FP_NR;
        }
        const float *bias = p->bias ? p->bias + j : 0;
        int64_t i = 0;
        for (; i + MR <= p->M; i += MR)
            FN(broadcast_tile)(MR, p->K, p->A + i * a_row, a_row, a_k, b, ldb,
                               p->C + i * p->ldc + j, p->ldc, bias,
                               p->mask ? p->mask + i * p->ldmask + j : 0, &e, cols);
        for (; i < p->M; i++)
            FN(broadcast_tile)(1, p->K, p->A + i * a_row, a_row, a_k, b, ldb,
                               p->C + i * p->ldc + j, p->ldc, bias,
                               p->mask ? p->mask + i * p->ldmask + j : 0, &e, cols);
    }
}

// ---------------------------------------------------------------------------------------------
// Dot path (A rows and B rows both contiguous along K): each element is a dot product of two
// rows, accumulated in VW lanes and summed in a fixed order; no packing, no column padding.

FP_INLINE float FN(sum_lanes)(VT v) {
#if VW == 16
    typedef float v8s __attribute__((ext_vector_type(8)));
    v8s h = v.lo + v.hi;
#else
    VT h = v;
#endif
    typedef float v4s __attribute__((ext_vector_type(4)));
    typedef float v2s __attribute__((ext_vector_type(2)));
    v4s q = h.lo + h.hi;
    v2s d = q.lo + q.hi;
    return d.x + d.y;
}

FP_INLINE void FN(dot_tile)(const int R, const int S, int64_t K, const float *a, int64_t lda,
                            const float *b, int64_t ldb, float out[DMR][DNR]) {
    VT acc[DMR][DNR];
    _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
        _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++) acc[r][s] = (VT)0.0f;
    int64_t k = 0;
    for (; k + VW <= K; k += VW) {
        VT av[DMR], bv[DNR];
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
            av[r] = *(const VT *)(a + r * lda + k);
        _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++)
            bv[s] = *(const VT *)(b + s * ldb + k);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
            _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++)
                acc[r][s] = acc[r][s] + av[r] * bv[s];
    }
    if (k < K) {
        VT av[DMR], bv[DNR];
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
            av[r] = LOADN(a + r * lda + k, K - k);
        _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++)
            bv[s] = LOADN(b + s * ldb + k, K - k);
        _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
            _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++)
                acc[r][s] = acc[r][s] + av[r] * bv[s];
    }
    _Pragma("clang loop unroll(full)") for (int r = 0; r < R; r++)
        _Pragma("clang loop unroll(full)") for (int s = 0; s < S; s++)
            out[r][s] = FN(sum_lanes)(acc[r][s]);
}

TARGET static void FN(dot)(const fp_problem_t *p, int64_t j_begin, int64_t j_end,
                           float *scratch) {
    (void)scratch;
    const fp_epilogue_t e = {p->alpha, p->beta, p->ldmask, p->relu};
    float out[DMR][DNR];
    for (int64_t i = 0; i < p->M; i += DMR) {
        int64_t rows = p->M - i < DMR ? p->M - i : DMR;
        for (int64_t j = j_begin; j < j_end; j += DNR) {
            int64_t cols = j_end - j < DNR ? j_end - j : DNR;
            const float *a = p->A + i * p->lda, *b = p->B + j * p->ldb;
            if (rows == DMR && cols == DNR) {
                FN(dot_tile)(DMR, DNR, p->K, a, p->lda, b, p->ldb, out);
            } else {  // edge: one row or one column at a time, same per-element arithmetic
                for (int64_t r = 0; r < rows; r++) {
                    float one[DMR][DNR];
                    if (cols == DNR) {
                        FN(dot_tile)(1, DNR, p->K, a + r * p->lda, p->lda, b, p->ldb, one);
                        for (int64_t s = 0; s < cols; s++) out[r][s] = one[0][s];
                    } else {
                        for (int64_t s = 0; s < cols; s++) {
                            FN(dot_tile)(1, 1, p->K, a + r * p->lda, p->lda, b + s * p->ldb,
                                         p->ldb, one);
                            out[r][s] = one[0][0];
                        }
                    }
                }
            }
            for (int64_t r = 0; r < rows; r++)
                for (int64_t s = 0; s < cols; s++) {
                    float *dst = p->C + (i + r) * p->ldc + j + s;
                    *dst = FN(finish1)(out[r][s], e.beta != 0.0f ? *dst : 0.0f,
                                       p->bias ? p->bias + j + s : 0,
                                       p->mask ? p->mask + (i + r) * p->ldmask + j + s : 0, &e);
                }
        }
    }
}

const fp_kernel_t FN(fp_kernel) = {FP_STRINGIFY(SUFFIX), FN(macro), FN(broadcast), FN(dot),
                                   MR, FP_NR, FP_NR};

#undef FP_CAT3
#undef FP_CAT2
#undef FN
#undef FP_NR
#undef FP_INLINE

// Each inclusion defines its parameters afresh.
#undef SUFFIX
#undef TARGET
#undef VT
#undef VTI
#undef VW
#undef MR
#undef NV
#undef DMR
#undef DNR
#undef LOADN
