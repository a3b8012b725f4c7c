// Subnormal handling for the training threads (see fp_flush_subnormals in CKernels.h).
#include "CKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>

// MXCSR bit 15 is flush-to-zero, bit 6 denormals-are-zero (Intel SDM vol. 1 §10.2.3).
#define FP_FTZ_DAZ 0x8040u

unsigned int fp_flush_subnormals(void) {
    unsigned int previous = _mm_getcsr();
    _mm_setcsr(previous | FP_FTZ_DAZ);
    return previous;
}

void fp_restore_float_mode(unsigned int state) {
    _mm_setcsr(state);
}

#else

unsigned int fp_flush_subnormals(void) { return 0; }

void fp_restore_float_mode(unsigned int state) { (void)state; }

#endif
