#ifndef SMALL_PRODUCTS_H
#define SMALL_PRODUCTS_H

#include <stdbool.h>

/* Matrix products with one dimension of at most a few dozen, where OpenBLAS's kernels (tiled for
   large products) reach a third of the CPU's speed: the one-channel side of a convolution (the
   first layer of an image encoder, the last of its decoder) has 9 or 25 taps.

   All matrices are row-major and contiguous; each computes C = product (no accumulation into C).
   Each element of C is summed the same way wherever it sits in C and however many rows and
   columns C has, so a product split into blocks of rows gives the bits of the product whole.

   These use AVX2 and FMA: call them only when `cpu_vector_features_detect` reports both. */

/* The largest k of `small_products_narrow`, which copies B onto the stack 16 columns at a time. */
#define small_products_narrow_largest_k 256

/* C[m, n] = A[m, k] · B[k, n], for small n (a few taps, or a few filters); B as stored, or, when
   `transposed_b`, given as Bᵀ [n, k]. k at most `small_products_narrow_largest_k`.
   Each element: the terms p = 0, 1, … k − 1 in order, each a fused multiply-add, from 0. */
void small_products_narrow(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c);

/* C[m, n] = A[m, k] · B[k, n], for small k.
   Each element: the terms p = 0, 1, … k − 1 in order, each a fused multiply-add, from 0. */
void small_products_short_sum(long m, long n, long k, const float *a, const float *b, float *c);

/* C[m, n] = A[k, m]ᵀ · B[k, n], for small m (a long sum, as a kernel gradient).
   Each element: the terms p = 0, 1, … k − 1 in order, each a fused multiply-add, from 0. */
void small_products_long_sum(long m, long n, long k, const float *a, const float *b, float *c);

/* A transposed convolution's product and its scatter in one pass, without the product's
   matrix: for each of `samples` samples, P = A_s [positions, k] · B [k, n], with n = taps ·
   filters and filters a multiple of 16; the value of P at row i (an input position) and column
   j (filter j % filters of tap j / filters) is added to the sample's output image, `image_size`
   floats from the previous sample's, at offset targets[(j / filters) · positions + i] + j % filters,
   or nowhere when that target is negative. Where `first` (laid out as `targets`) is given and
   holds 1, the value is the first its pixel receives: 0 + value is stored, without reading the
   image, which need not then be zeroed beforehand.
   Each value of P is summed as in `small_products_short_sum`; an image value receives its terms
   in the order of the taps. */
void small_products_scatter_add(long samples, long positions, long n, long k, const float *a, const float *b,
                                long filters, const long *targets, const unsigned char *first, float *images, long image_size);

/* The same four on sixteen lanes (SmallProductsWide.c), for CPUs with AVX-512 F: each gives the
   bits of its eight-lane twin above, since each element is summed the same way. Call them only
   when `cpu_vector_features_detect` reports AVX-512 F. */
void small_products_narrow_wide(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c);
void small_products_short_sum_wide(long m, long n, long k, const float *a, const float *b, float *c);
void small_products_long_sum_wide(long m, long n, long k, const float *a, const float *b, float *c);
void small_products_scatter_add_wide(long samples, long positions, long n, long k, const float *a, const float *b,
                                     long filters, const long *targets, const unsigned char *first, float *images, long image_size);

/* C[m, n] = op(A) · B, with op(A) = A [m, k] or, when `transposed_a`, Aᵀ for A [k, m], summed as
   OpenBLAS's level-3 driver and its SkylakeX kernels sum a product too large for their small-matrix
   path: the k terms are cut into blocks (`block` terms while two blocks' worth remain, then one
   block, or two near halves, the first rounded up to a multiple of `unroll`); each block is a
   chain of fused multiply-adds from 0 in order, and the blocks' sums are added to C in order. */
void small_products_blocked_wide(bool transposed_a, long m, long n, long k, long block, long unroll,
                                 const float *a, const float *b, float *c);

/* Where an image's receptive fields lie, for the two products below, which read them in place
   instead of from im2col's cols: the image zero-padded into a frame, so that term p of the field
   of output position (oh, ow) (p in the cols' order: tap, then channel) is
   frame[oh · line_step + ow · position_step + deltas[p]], the image's value or a padding zero (the
   cols' zero). `deltas` holds `terms` offsets, one per column of the cols. */
struct small_products_fields {
    long out_h, out_w, line_step, position_step, terms;
    const long *deltas;
};

/* C [out_h · out_w, n] = cols · B [terms, n], the cols those of one frame, the terms cut into
   blocks as `small_products_blocked_wide` cuts them (`block`, `unroll`): each block one chain over
   its terms in order, from 0, its sums stored or, after the first block, added. With `block` at
   least `terms`, one chain, as the short and narrow products sum. So with the bits of im2col and
   such a product. Sixteen lanes. */
void small_products_fields_product_wide(const struct small_products_fields *f, const float *frame, long n, const float *b,
                                        long block, long unroll, float *c);

/* C [terms, n] = colsᵀ · B [frames · out_h · out_w, n], the cols those of `frames` frames
   `frame_size` floats apart: each element one chain over the rows in order, from 0, as the long
   and single-block sums do, so with the bits of im2col and such a product. Sixteen lanes. */
void small_products_fields_gradient_wide(const struct small_products_fields *f, long frames, long frame_size, const float *frame,
                                         long n, const float *b, float *c);

/* A transposed convolution with one filter and stride 1 (the last layer of an image decoder):
   its input [out_h, out_w, depth] (the small side), its output image [in_h, in_w] (the large
   side, one channel), kernel kh × kw, and the padding of the convolution it is the adjoint of. */
struct small_products_one_filter {
    long out_h, out_w, in_h, in_w, kh, kw, pad_top, pad_left, depth;
};

/* image [in_h, in_w] = col2im(x [out_h · out_w, depth] · W [kh · kw, depth]ᵀ) for one sample, with
   the bits of `small_products_narrow` and col2im: each product value one chain over the depth in
   order from 0, each pixel 0 + its terms in the order of their positions. `scratch` holds
   (depth + kh · kw) · P floats, P the positions rounded up to a multiple of 16. Sixteen lanes. */
void small_products_one_filter_forward_wide(const struct small_products_one_filter *g, const float *x, const float *w,
                                            float *scratch, float *image);

#endif
