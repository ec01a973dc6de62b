#include "VectorMath.h"

#if defined(__x86_64__)
#include "Lanes.h"

/* One part of an ordered sum (`Parallel.add`): element by element, so the same bits as the Swift
   loop, which the compiler can only give SSE's four lanes. A kernel gradient's part is added to its
   total once per block of samples, tens of thousands of values each time. */
AVX2 void vector_math_add(long count, const float *part, float *total) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        for (int v = 0; v < 4; v++) {
            _mm256_storeu_ps(total + i + 8 * v, _mm256_add_ps(_mm256_loadu_ps(total + i + 8 * v), _mm256_loadu_ps(part + i + 8 * v)));
        }
    }
    for (; i < count; i++) total[i] += part[i];
}

#else
/* Other architectures never call this (the engine checks the CPU's features first). */
void vector_math_add(long count, const float *part, float *total) { (void)count; (void)part; (void)total; }
#endif
