#ifndef VECTOR_MATH_H
#define VECTOR_MATH_H

/* The engine's element-wise exponentials on eight lanes at a time: the logistic function of a
   sigmoid output and the binary cross-entropy of its logits, which run over every pixel of
   every sample of a batch.

   Each computes exactly what the engine's Swift code computes (`Exponential.exp`,
   `Activation.sigmoid`, `Losses.reconstruction`), step by step: separate multiplications and
   additions, never fused, the same constants and the same order, so the bits are the same as
   the Swift code's, value by value, on every CPU. Only the number of lanes differs.

   These use AVX2: call them only when `cpu_vector_features_detect` reports it. */

/* y[r · row_length + c] = σ(y[r · row_length + c] + bias[c]) for r < rows, c < width. */
void vector_math_bias_sigmoid(long rows, long width, long row_length, float *y, const float *bias);

/* y[i] = σ(y[i] + bias) for i < count. */
void vector_math_sigmoid(long count, float *y, float bias);

/* For i < count, with a = logits[i], x = targets[i], e = exp(−|a|):
     values[i]   = max(a, 0) − x · a + log(1 + e)
     gradient[i] = scale · (σ(a) − x), unless `gradient` is null. */
void vector_math_binary_cross_entropy(long count, const float *logits, const float *targets, float scale,
                                      float *values, float *gradient);

#endif
