#ifndef CPU_FEATURES_H
#define CPU_FEATURES_H

#include <stdbool.h>

/* The x86 vector extensions that decide which OpenBLAS kernels can run, each true only when
   the CPU has it (cpuid) and the operating system saves its registers (xgetbv). */
typedef struct {
    bool avx;
    bool fma;
    bool avx2;
    bool avx512f;
    bool avx512dq;
    bool avx512bw;
    bool avx512vl;
} cpu_vector_features;

/* Reads the features with cpuid; all false on other architectures. */
cpu_vector_features cpu_vector_features_detect(void);

#endif
