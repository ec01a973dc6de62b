#include "VectorMath.h"

#if defined(__x86_64__)
#include "Lanes.h"

/* f(v) for the kinds with a forward pass here; `kind` is a constant wherever this is inlined. */
AVX2 INLINE __m256 activate8(enum vector_math_activation kind, __m256 alpha, __m256 v) {
    const __m256 zero = _mm256_setzero_ps();
    switch (kind) {
    case vector_math_activation_relu:
        /* Swift's max(v, 0): +0 where 0 ≥ v (−0 included), else v (NaN included) */
        return _mm256_andnot_ps(_mm256_cmp_ps(zero, v, _CMP_GE_OQ), v);
    case vector_math_activation_leaky_relu:
        return _mm256_blendv_ps(_mm256_mul_ps(alpha, v), v, _mm256_cmp_ps(v, zero, _CMP_GT_OQ));
    case vector_math_activation_linear:
    case vector_math_activation_sigmoid:
    case vector_math_activation_tanh:
        break;
    }
    return v;
}

/* f'(pre) · g from the output y = f(pre). */
AVX2 INLINE __m256 derivative8(enum vector_math_activation kind, __m256 alpha, __m256 y, __m256 g) {
    const __m256 zero = _mm256_setzero_ps();
    switch (kind) {
    case vector_math_activation_linear:
        return g;
    case vector_math_activation_relu:
        return _mm256_and_ps(g, _mm256_cmp_ps(y, zero, _CMP_GT_OQ));
    case vector_math_activation_leaky_relu:
        return _mm256_blendv_ps(_mm256_mul_ps(alpha, g), g, _mm256_cmp_ps(y, zero, _CMP_GT_OQ));
    case vector_math_activation_sigmoid:
    case vector_math_activation_tanh:
        break;
    }
    return g;
}

AVX2 INLINE void bias_activation(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                 float *y, const float *bias) {
    __m256 a = _mm256_set1_ps(alpha);
    for (long r = 0; r < rows; r++) {
        float *row = y + r * row_length;
        long c = 0;
        for (; c + 8 <= width; c += 8) {
            _mm256_storeu_ps(row + c, activate8(kind, a, _mm256_add_ps(_mm256_loadu_ps(row + c), _mm256_loadu_ps(bias + c))));
        }
        if (c < width) {
            long left = width - c;
            store_part(row + c, left, activate8(kind, a, _mm256_add_ps(load_part(row + c, left), load_part(bias + c, left))));
        }
    }
}

AVX2 void vector_math_bias_activation(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                      float *y, const float *bias) {
    switch (kind) {
    case vector_math_activation_linear: bias_activation(vector_math_activation_linear, alpha, rows, width, row_length, y, bias); break;
    case vector_math_activation_relu: bias_activation(vector_math_activation_relu, alpha, rows, width, row_length, y, bias); break;
    case vector_math_activation_leaky_relu: bias_activation(vector_math_activation_leaky_relu, alpha, rows, width, row_length, y, bias); break;
    case vector_math_activation_sigmoid:
    case vector_math_activation_tanh:
        break;
    }
}

/* Columns c..c + 8 · vectors of every row (`vectors` at most 4, a constant where inlined): the
   bias gradient's sums stay in registers from the first row to the last. The gradient goes to
   `out` (dy itself, or elsewhere). */
AVX2 INLINE void gradient_columns(enum vector_math_activation kind, __m256 alpha, int vectors, long rows, long row_length,
                                  const float *y, const float *dy, float *out, float *bias_gradient) {
    __m256 sums[4];
    for (int v = 0; v < vectors; v++) sums[v] = _mm256_loadu_ps(bias_gradient + 8 * v);
    for (long r = 0; r < rows; r++) {
        const float *outputs = y + r * row_length, *row = dy + r * row_length;
        float *destination = out + r * row_length;
        for (int v = 0; v < vectors; v++) {
            __m256 g = derivative8(kind, alpha, _mm256_loadu_ps(outputs + 8 * v), _mm256_loadu_ps(row + 8 * v));
            _mm256_storeu_ps(destination + 8 * v, g);
            sums[v] = _mm256_add_ps(sums[v], g);
        }
    }
    for (int v = 0; v < vectors; v++) _mm256_storeu_ps(bias_gradient + 8 * v, sums[v]);
}

/* The last width − c columns (fewer than eight) of every row. */
AVX2 INLINE void gradient_part(enum vector_math_activation kind, __m256 alpha, long count, long rows, long row_length,
                               const float *y, const float *dy, float *out, float *bias_gradient) {
    __m256 sum = load_part(bias_gradient, count);
    for (long r = 0; r < rows; r++) {
        __m256 g = derivative8(kind, alpha, load_part(y + r * row_length, count), load_part(dy + r * row_length, count));
        store_part(out + r * row_length, count, g);
        sum = _mm256_add_ps(sum, g);
    }
    store_part(bias_gradient, count, sum);
}

AVX2 INLINE void activation_gradient(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                     const float *y, const float *dy, float *out, float *bias_gradient) {
    __m256 a = _mm256_set1_ps(alpha);
    long c = 0;
    for (; c + 32 <= width; c += 32) gradient_columns(kind, a, 4, rows, row_length, y + c, dy + c, out + c, bias_gradient + c);
    for (; c + 8 <= width; c += 8) gradient_columns(kind, a, 1, rows, row_length, y + c, dy + c, out + c, bias_gradient + c);
    if (c < width) gradient_part(kind, a, width - c, rows, row_length, y + c, dy + c, out + c, bias_gradient + c);
}

AVX2 void vector_math_activation_gradient_to(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                             const float *y, const float *dy, float *out, float *bias_gradient) {
    switch (kind) {
    case vector_math_activation_linear: activation_gradient(vector_math_activation_linear, alpha, rows, width, row_length, y, dy, out, bias_gradient); break;
    case vector_math_activation_relu: activation_gradient(vector_math_activation_relu, alpha, rows, width, row_length, y, dy, out, bias_gradient); break;
    case vector_math_activation_leaky_relu: activation_gradient(vector_math_activation_leaky_relu, alpha, rows, width, row_length, y, dy, out, bias_gradient); break;
    case vector_math_activation_sigmoid:
    case vector_math_activation_tanh:
        break;
    }
}

AVX2 void vector_math_activation_gradient(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                          const float *y, float *dy, float *bias_gradient) {
    vector_math_activation_gradient_to(kind, alpha, rows, width, row_length, y, dy, dy, bias_gradient);
}

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void vector_math_bias_activation(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                 float *y, const float *bias) {
    (void)kind; (void)alpha; (void)rows; (void)width; (void)row_length; (void)y; (void)bias;
}
void vector_math_activation_gradient(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                     const float *y, float *dy, float *bias_gradient) {
    (void)kind; (void)alpha; (void)rows; (void)width; (void)row_length; (void)y; (void)dy; (void)bias_gradient;
}
void vector_math_activation_gradient_to(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                        const float *y, const float *dy, float *out, float *bias_gradient) {
    (void)kind; (void)alpha; (void)rows; (void)width; (void)row_length; (void)y; (void)dy; (void)out; (void)bias_gradient;
}
#endif
