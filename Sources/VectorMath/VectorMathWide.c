#include "VectorMath.h"

/* The sigmoid and the cross-entropy of VectorMath.c on sixteen lanes, for CPUs with AVX-512 F:
   the same operations in the same order on each lane, none fused, so the same bits. AVX-512 F
   has fused multiply-adds, and a compiler may fuse a product and a sum written apart: this file
   forbids it. Partial vectors are masked instead of copied. */

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang fp contract(off)

#define AVX512 __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline))

/* The lanes below `count` of sixteen. */
INLINE __mmask16 lanes_below(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

/* horner8 of VectorMath.c. */
AVX512 INLINE __m512 horner16(__m512 x, const float *c, int count) {
    __m512 p = _mm512_set1_ps(c[0]);
    for (int i = 1; i < count; i++) p = _mm512_add_ps(_mm512_set1_ps(c[i]), _mm512_mul_ps(x, p));
    return p;
}

/* exp8 of VectorMath.c. */
AVX512 INLINE __m512 exp16(__m512 x) {
    const __m512 lowest = _mm512_set1_ps(-87.33f), highest = _mm512_set1_ps(88.37f);
    const __m512 shift = _mm512_set1_ps(12582912.0f);
    __mmask16 below = _mm512_cmp_ps_mask(x, lowest, _CMP_LT_OQ), above = _mm512_cmp_ps_mask(x, highest, _CMP_GT_OQ);
    /* false for NaN, which goes through to the result */
    __m512 clamped = _mm512_mask_blend_ps(below, _mm512_mask_blend_ps(above, x, highest), lowest);
    __m512 shifted = _mm512_add_ps(_mm512_mul_ps(clamped, _mm512_set1_ps(1.44269504f)), shift);
    __m512i n = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_castps_si512(shift));
    __m512 nearest = _mm512_sub_ps(shifted, shift);
    __m512 r = _mm512_sub_ps(_mm512_sub_ps(clamped, _mm512_mul_ps(nearest, _mm512_set1_ps(0.693359375f))),
                             _mm512_mul_ps(nearest, _mm512_set1_ps(-2.1219444e-4f)));
    static const float terms[] = {1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f, 1.0f / 6.0f, 1.0f / 2.0f, 1.0f, 1.0f};
    __m512 p = horner16(r, terms, sizeof terms / sizeof *terms);
    __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n, _mm512_set1_epi32(127)), 23));
    __m512 result = _mm512_mul_ps(p, scale);
    result = _mm512_mask_blend_ps(above, result, _mm512_set1_ps(__builtin_inff()));
    return _mm512_mask_blend_ps(below, result, _mm512_setzero_ps());
}

/* −|x|: the sign bit set. */
AVX512 INLINE __m512 minus_magnitude16(__m512 x) {
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
}

/* sigmoid8 of VectorMath.c: x ≥ 0 ? 1 / (1 + e) : e / (1 + e). */
AVX512 INLINE __m512 sigmoid16(__m512 x, __m512 e) {
    __m512 numerator = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ), e, _mm512_set1_ps(1.0f));
    return _mm512_div_ps(numerator, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

AVX512 INLINE __m512 logistic16(__m512 x) { return sigmoid16(x, exp16(minus_magnitude16(x))); }

AVX512 void vector_math_sigmoid_wide(long count, float *y, float bias) {
    __m512 b = _mm512_set1_ps(bias);
    for (long i = 0; i < count; i += 16) {
        __mmask16 m = lanes_below(count - i);
        _mm512_mask_storeu_ps(y + i, m, logistic16(_mm512_add_ps(_mm512_maskz_loadu_ps(m, y + i), b)));
    }
}

AVX512 void vector_math_bias_sigmoid_wide(long rows, long width, long row_length, float *y, const float *bias) {
    for (long r = 0; r < rows; r++) {
        float *row = y + r * row_length;
        for (long c = 0; c < width; c += 16) {
            __mmask16 m = lanes_below(width - c);
            __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(m, row + c), _mm512_maskz_loadu_ps(m, bias + c));
            _mm512_mask_storeu_ps(row + c, m, logistic16(v));
        }
    }
}

/* log1p_unit8 of VectorMath.c. */
AVX512 INLINE __m512 log1p_unit16(__m512 e) {
    __m512 s = _mm512_div_ps(e, _mm512_add_ps(_mm512_set1_ps(2.0f), e)), s2 = _mm512_mul_ps(s, s);
    static const float terms[] = {1.0f / 13.0f, 1.0f / 11.0f, 1.0f / 9.0f, 1.0f / 7.0f, 1.0f / 5.0f, 1.0f / 3.0f, 1.0f};
    __m512 series = horner16(s2, terms, sizeof terms / sizeof *terms);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(2.0f), s), series);
}

AVX512 void vector_math_binary_cross_entropy_wide(long count, const float *logits, const float *targets, float scale,
                                                  float *values, float *gradient) {
    __m512 s = _mm512_set1_ps(scale);
    for (long i = 0; i < count; i += 16) {
        __mmask16 m = lanes_below(count - i);
        __m512 a = _mm512_maskz_loadu_ps(m, logits + i), x = _mm512_maskz_loadu_ps(m, targets + i);
        __m512 e = exp16(minus_magnitude16(a));
        /* Swift's max(a, 0): 0 where 0 ≥ a, else a (NaN included) */
        __m512 positive = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(_mm512_setzero_ps(), a, _CMP_GE_OQ), a, _mm512_setzero_ps());
        _mm512_mask_storeu_ps(values + i, m, _mm512_add_ps(_mm512_sub_ps(positive, _mm512_mul_ps(x, a)), log1p_unit16(e)));
        if (gradient) _mm512_mask_storeu_ps(gradient + i, m, _mm512_mul_ps(s, _mm512_sub_ps(sigmoid16(a, e), x)));
    }
}

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void vector_math_sigmoid_wide(long count, float *y, float bias) { (void)count; (void)y; (void)bias; }
void vector_math_bias_sigmoid_wide(long rows, long width, long row_length, float *y, const float *bias) {
    (void)rows; (void)width; (void)row_length; (void)y; (void)bias;
}
void vector_math_binary_cross_entropy_wide(long count, const float *logits, const float *targets, float scale,
                                           float *values, float *gradient) {
    (void)count; (void)logits; (void)targets; (void)scale; (void)values; (void)gradient;
}
#endif
