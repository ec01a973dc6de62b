#include "CPUFeatures.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* XCR0: which register states the operating system saves on a context switch. */
static unsigned long long xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

cpu_vector_features cpu_vector_features_detect(void) {
    cpu_vector_features f = {0};
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    bool osxsave = ecx & bit_OSXSAVE;
    if (!osxsave) return f;
    unsigned long long xcr = xcr0();
    /* SSE and AVX state (bits 1, 2); opmask, upper ZMM and high ZMM state (bits 5, 6, 7). */
    bool ymm = (xcr & 0x6) == 0x6;
    bool zmm = ymm && (xcr & 0xe0) == 0xe0;
    f.avx = ymm && (ecx & bit_AVX);
    f.fma = ymm && (ecx & bit_FMA);
    unsigned int max_leaf = __get_cpuid_max(0, 0);
    if (max_leaf < 7) return f;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    f.avx2 = ymm && (ebx & bit_AVX2);
    f.avx512f = zmm && (ebx & bit_AVX512F);
    f.avx512dq = zmm && (ebx & bit_AVX512DQ);
    f.avx512bw = zmm && (ebx & bit_AVX512BW);
    f.avx512vl = zmm && (ebx & bit_AVX512VL);
    return f;
}
#else
cpu_vector_features cpu_vector_features_detect(void) {
    cpu_vector_features f = {0};
    return f;
}
#endif
