#include "VectorMath.h"

#if defined(__x86_64__)
#include "Lanes.h"

/* One position's `channels` values of a tap: whole vectors, then the rest one by one. */
AVX2 INLINE void copy_channels(float *destination, const float *source, long channels) {
    long c = 0;
    for (; c + 8 <= channels; c += 8) _mm256_storeu_ps(destination + c, _mm256_loadu_ps(source + c));
    for (; c < channels; c++) destination[c] = source[c];
}

AVX2 INLINE void clear_channels(float *destination, long channels) {
    long c = 0;
    for (; c + 8 <= channels; c += 8) _mm256_storeu_ps(destination + c, _mm256_setzero_ps());
    for (; c < channels; c++) destination[c] = 0;
}

/* ConvGeometry.validColumns: the positions ow whose tap kj lands inside the image,
   0 ≤ ow · stride_w − pad_left + kj < in_w, as [*first, *end) within [0, out_w). */
AVX2 INLINE void valid_columns(const struct vector_math_conv_geometry *g, long kj, long *first, long *end) {
    long offset = kj - g->pad_left;
    long start = offset >= 0 ? 0 : (-offset + g->stride_w - 1) / g->stride_w;
    if (start > g->out_w) start = g->out_w;
    long last = g->in_w - 1 - offset;
    long stop = last < 0 ? 0 : last / g->stride_w + 1;
    if (stop > g->out_w) stop = g->out_w;
    *first = start;
    *end = stop < start ? start : stop;
}

/* One image's cols, a tap at a time along each row of positions, as ConvGeometry.im2col; with
   `channels` a constant where it is 1, so that the copy of one value is a move. */
AVX2 INLINE void im2col_image(const struct vector_math_conv_geometry *g, long channels, const float *image, float *cols) {
    long patch = g->kh * g->kw * channels;
    for (long oh = 0; oh < g->out_h; oh++) {
        float *row = cols + oh * g->out_w * patch;
        for (long ki = 0; ki < g->kh; ki++) {
            long ih = oh * g->stride_h - g->pad_top + ki;
            for (long kj = 0; kj < g->kw; kj++) {
                float *tap = row + (ki * g->kw + kj) * channels;
                long first = 0, end = 0;
                if (ih >= 0 && ih < g->in_h) valid_columns(g, kj, &first, &end);
                for (long ow = 0; ow < first; ow++) clear_channels(tap + ow * patch, channels);
                for (long ow = end; ow < g->out_w; ow++) clear_channels(tap + ow * patch, channels);
                if (first == end) continue;
                const float *source = image + (ih * g->in_w + first * g->stride_w - g->pad_left + kj) * channels;
                long step = g->stride_w * channels;
                for (long ow = first; ow < end; ow++) copy_channels(tap + ow * patch, source + (ow - first) * step, channels);
            }
        }
    }
}

AVX2 void vector_math_im2col(const struct vector_math_conv_geometry *g, long samples, const float *images, float *cols) {
    long image_size = g->in_h * g->in_w * g->channels, cols_size = g->out_h * g->out_w * g->kh * g->kw * g->channels;
    for (long s = 0; s < samples; s++) {
        if (g->channels == 1) {
            im2col_image(g, 1, images + s * image_size, cols + s * cols_size);
        } else {
            im2col_image(g, g->channels, images + s * image_size, cols + s * cols_size);
        }
    }
}

#else
/* Other architectures never call this (the engine checks the CPU's features first). */
void vector_math_im2col(const struct vector_math_conv_geometry *geometry, long samples, const float *images, float *cols) {
    (void)geometry; (void)samples; (void)images; (void)cols;
}
#endif
