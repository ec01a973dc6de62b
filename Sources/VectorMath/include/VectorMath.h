#ifndef VECTOR_MATH_H
#define VECTOR_MATH_H

/* The engine's element-wise loops on eight lanes at a time (the first three also on sixteen): the
   logistic function of a sigmoid output and the binary cross-entropy of its logits, which run over
   every pixel of every sample of a batch; a layer's bias and activation and their gradients; and
   the copies of im2col.

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

/* The three above on sixteen lanes (VectorMathWide.c), with the same bits: call them only when
   `cpu_vector_features_detect` reports AVX-512 F. */
void vector_math_bias_sigmoid_wide(long rows, long width, long row_length, float *y, const float *bias);
void vector_math_sigmoid_wide(long count, float *y, float bias);
void vector_math_binary_cross_entropy_wide(long count, const float *logits, const float *targets, float scale,
                                           float *values, float *gradient);

/* The activations, as `Activation`'s cases. The two functions below compute linear, relu and
   leaky relu, and leave the values as they are for the others: sigmoid's forward pass is the
   function above; tanh's calls the C library; and their derivatives multiply two values, which
   for two NaNs gives one NaN or the other depending on how a compiler orders the operands. */
enum vector_math_activation {
    vector_math_activation_linear,
    vector_math_activation_relu,
    vector_math_activation_leaky_relu,
    vector_math_activation_sigmoid,
    vector_math_activation_tanh
};

/* y[r · row_length + c] = f(y[r · row_length + c] + bias[c]) for r < rows, c < width, with f
   linear, relu (max(v, 0) as Swift's max: 0 where 0 ≥ v, else v) or leaky relu
   (v > 0 ? v : alpha · v). Other kinds leave y as it is. */
void vector_math_bias_activation(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                 float *y, const float *bias);

/* For r < rows, c < width, at i = r · row_length + c, from the outputs y = f(pre):
     dy[i] = f'(pre) · dy[i]: dy (linear); y > 0 ? dy : 0 (relu); y > 0 ? dy : alpha · dy (leaky
             relu);
     bias_gradient[c] += dy[i], row after row. Other kinds leave both as they are. */
void vector_math_activation_gradient(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                     const float *y, float *dy, float *bias_gradient);

/* The same with dy left as it is and f'(pre) · dy written to `out` (rows `row_length` apart too). */
void vector_math_activation_gradient_to(enum vector_math_activation kind, float alpha, long rows, long width, long row_length,
                                        const float *y, const float *dy, float *out, float *bias_gradient);

/* A convolution's geometry, as the engine's `ConvGeometry`: from an image [in_h, in_w, channels]
   to out_h · out_w positions of a kh × kw kernel. */
struct vector_math_conv_geometry {
    long in_h, in_w, channels, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w;
};

/* For each of `samples` images [in_h, in_w, channels], one after the other: its cols
   [out_h · out_w, kh · kw · channels], each row the receptive field of one position ordered
   (ki, kj, c), zeros outside the image; the samples' cols one after the other. */
void vector_math_im2col(const struct vector_math_conv_geometry *geometry, long samples, const float *images, float *cols);

/* total[i] += part[i] for i < count. */
void vector_math_add(long count, const float *part, float *total);

#endif
