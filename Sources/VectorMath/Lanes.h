#ifndef VECTOR_MATH_LANES_H
#define VECTOR_MATH_LANES_H

/* What the kernels of this target share: compiled for AVX2 without FMA, so every product and sum
   is rounded on its own, as in the Swift code. x86-64 only. */
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

/* Up to eight values through a vector: the lanes past `count` are zeros, computed and dropped. */
AVX2 INLINE __m256 load_part(const float *p, long count) {
    float lanes[8] = {0};
    for (long t = 0; t < count; t++) lanes[t] = p[t];
    return _mm256_loadu_ps(lanes);
}

AVX2 INLINE void store_part(float *p, long count, __m256 v) {
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    for (long t = 0; t < count; t++) p[t] = lanes[t];
}

#endif
