#include "VectorMath.h"

#if defined(__x86_64__)
#include "Lanes.h"

/* c[0], then c[i] + x · (the value so far) for each further coefficient: a polynomial in x by
   Horner's rule, highest power first, as the Swift code nests it. */
AVX2 INLINE __m256 horner8(__m256 x, const float *c, int count) {
    __m256 p = _mm256_set1_ps(c[0]);
    for (int i = 1; i < count; i++) p = _mm256_add_ps(_mm256_set1_ps(c[i]), _mm256_mul_ps(x, p));
    return p;
}

/* Exponential.exp: the same constants, written as the Swift code writes them. */
AVX2 INLINE __m256 exp8(__m256 x) {
    const __m256 lowest = _mm256_set1_ps(-87.33f), highest = _mm256_set1_ps(88.37f);
    const __m256 shift = _mm256_set1_ps(12582912.0f);
    __m256 below = _mm256_cmp_ps(x, lowest, _CMP_LT_OQ), above = _mm256_cmp_ps(x, highest, _CMP_GT_OQ);
    /* false for NaN, which goes through to the result */
    __m256 clamped = _mm256_blendv_ps(_mm256_blendv_ps(x, highest, above), lowest, below);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(clamped, _mm256_set1_ps(1.44269504f)), shift);
    __m256i n = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(shift));
    __m256 nearest = _mm256_sub_ps(shifted, shift);
    __m256 r = _mm256_sub_ps(_mm256_sub_ps(clamped, _mm256_mul_ps(nearest, _mm256_set1_ps(0.693359375f))),
                             _mm256_mul_ps(nearest, _mm256_set1_ps(-2.1219444e-4f)));
    /* eʳ by Taylor's series to r⁷/7! */
    static const float terms[] = {1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f, 1.0f / 6.0f, 1.0f / 2.0f, 1.0f, 1.0f};
    __m256 p = horner8(r, terms, sizeof terms / sizeof *terms);
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23));
    __m256 result = _mm256_mul_ps(p, scale);
    result = _mm256_blendv_ps(result, _mm256_set1_ps(__builtin_inff()), above);
    return _mm256_blendv_ps(result, _mm256_setzero_ps(), below);
}

/* −|x|, as Swift's -abs(x): the sign bit set (not 0 − |x|, which differs for NaN). */
AVX2 INLINE __m256 minus_magnitude8(__m256 x) { return _mm256_or_ps(_mm256_set1_ps(-0.0f), x); }

/* Activation.sigmoid(x, e): x ≥ 0 ? 1 / (1 + e) : e / (1 + e). */
AVX2 INLINE __m256 sigmoid8(__m256 x, __m256 e) {
    __m256 numerator = _mm256_blendv_ps(e, _mm256_set1_ps(1.0f), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ));
    return _mm256_div_ps(numerator, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

AVX2 INLINE __m256 logistic8(__m256 x) {
    return sigmoid8(x, exp8(minus_magnitude8(x)));
}

AVX2 void vector_math_sigmoid(long count, float *y, float bias) {
    __m256 b = _mm256_set1_ps(bias);
    long i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(y + i, logistic8(_mm256_add_ps(_mm256_loadu_ps(y + i), b)));
    if (i < count) store_part(y + i, count - i, logistic8(_mm256_add_ps(load_part(y + i, count - i), b)));
}

AVX2 void vector_math_bias_sigmoid(long rows, long width, long row_length, float *y, const float *bias) {
    for (long r = 0; r < rows; r++) {
        float *row = y + r * row_length;
        long c = 0;
        for (; c + 8 <= width; c += 8) {
            _mm256_storeu_ps(row + c, logistic8(_mm256_add_ps(_mm256_loadu_ps(row + c), _mm256_loadu_ps(bias + c))));
        }
        if (c < width) {
            long left = width - c;
            store_part(row + c, left, logistic8(_mm256_add_ps(load_part(row + c, left), load_part(bias + c, left))));
        }
    }
}

/* Losses.log1pUnit: log(1 + e) for e in [0, 1], by 2·atanh(e / (2 + e)). */
AVX2 INLINE __m256 log1p_unit8(__m256 e) {
    __m256 s = _mm256_div_ps(e, _mm256_add_ps(_mm256_set1_ps(2.0f), e)), s2 = _mm256_mul_ps(s, s);
    static const float terms[] = {1.0f / 13.0f, 1.0f / 11.0f, 1.0f / 9.0f, 1.0f / 7.0f, 1.0f / 5.0f, 1.0f / 3.0f, 1.0f};
    __m256 series = horner8(s2, terms, sizeof terms / sizeof *terms);
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(2.0f), s), series);
}

AVX2 INLINE void cross_entropy8(__m256 a, __m256 x, __m256 scale, __m256 *value, __m256 *gradient) {
    __m256 e = exp8(minus_magnitude8(a));
    /* Swift's max(a, 0): 0 where 0 ≥ a, else a (NaN included) */
    __m256 positive = _mm256_blendv_ps(a, _mm256_setzero_ps(), _mm256_cmp_ps(_mm256_setzero_ps(), a, _CMP_GE_OQ));
    *value = _mm256_add_ps(_mm256_sub_ps(positive, _mm256_mul_ps(x, a)), log1p_unit8(e));
    *gradient = _mm256_mul_ps(scale, _mm256_sub_ps(sigmoid8(a, e), x));
}

AVX2 void vector_math_binary_cross_entropy(long count, const float *logits, const float *targets, float scale,
                                           float *values, float *gradient) {
    __m256 s = _mm256_set1_ps(scale), value, g;
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        cross_entropy8(_mm256_loadu_ps(logits + i), _mm256_loadu_ps(targets + i), s, &value, &g);
        _mm256_storeu_ps(values + i, value);
        if (gradient) _mm256_storeu_ps(gradient + i, g);
    }
    if (i < count) {
        long left = count - i;
        cross_entropy8(load_part(logits + i, left), load_part(targets + i, left), s, &value, &g);
        store_part(values + i, left, value);
        if (gradient) store_part(gradient + i, left, g);
    }
}

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void vector_math_bias_sigmoid(long rows, long width, long row_length, float *y, const float *bias) { (void)rows; (void)width; (void)row_length; (void)y; (void)bias; }
void vector_math_sigmoid(long count, float *y, float bias) { (void)count; (void)y; (void)bias; }
void vector_math_binary_cross_entropy(long count, const float *logits, const float *targets, float scale, float *values, float *gradient) {
    (void)count; (void)logits; (void)targets; (void)scale; (void)values; (void)gradient;
}
#endif
