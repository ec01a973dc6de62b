#include "SmallProducts.h"

/* The kernels of SmallProducts.c on sixteen lanes, for CPUs with AVX-512 F. Each element of a
   product is the same chain of fused multiply-adds, from 0, in the same order (p = 0, 1, …
   k − 1) as on eight lanes: a lane computes one element whatever the vector's width, so both
   builds give the same bits, and a machine with AVX-512 trains the same model as one without.
   What changes is how many elements a tile holds: up to 12 rows of 32 columns, 24 of the 32
   registers, where the eight-lane tiles hold 6 rows of 16 in 12 of 16.

   The same tiles also sum products as OpenBLAS's SkylakeX kernels do (`small_products_blocked_wide`,
   at the end), for the products the engine would otherwise hand to OpenBLAS. */

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline))

enum { tile_rows = 12 };

/* The lanes below `count` of sixteen. */
INLINE __mmask16 lanes_below(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

/* acc += `rows` rows of A, k terms each (row r's term p at a[r · row_step + p · term_step], or,
   where `term_offsets` is given, at a[r · row_step + term_offsets[p]]), · `vectors` (1 or 2)
   vectors of 16 columns of B, whose rows are `ldb` apart; the lanes outside `mask0` and `mask1`
   read zeros. The terms of each sum: p = 0, 1, … k − 1, in order, each a fused multiply-add. */
AVX512 INLINE void accumulate(int rows, int vectors, __mmask16 mask0, __mmask16 mask1, long row_step, long term_step,
                              const long *term_offsets, long ldb, long k, const float *a, const float *b,
                              __m512 acc[tile_rows][2]) {
    for (long p = 0; p < k; p++) {
        const float *ap = a + (term_offsets ? term_offsets[p] : p * term_step);
        __m512 b0 = _mm512_maskz_loadu_ps(mask0, b + p * ldb);
        __m512 b1 = vectors > 1 ? _mm512_maskz_loadu_ps(mask1, b + p * ldb + 16) : _mm512_setzero_ps();
        for (int r = 0; r < rows; r++) {
            __m512 x = _mm512_set1_ps(ap[r * row_step]);
            acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
            if (vectors > 1) acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
        }
    }
}

/* Sums from a tile's registers to C, rows `ldc` apart: stored, or, with `add`, added to C's values. */
AVX512 INLINE void finish_tile(int rows, int vectors, __mmask16 mask0, __mmask16 mask1, __m512 acc[tile_rows][2], bool add,
                               float *c, long ldc) {
    for (int r = 0; r < rows; r++) {
        for (int v = 0; v < vectors; v++) {
            __mmask16 mask = v == 0 ? mask0 : mask1;
            __m512 sum = add ? _mm512_add_ps(_mm512_maskz_loadu_ps(mask, c + r * ldc + 16 * v), acc[r][v]) : acc[r][v];
            _mm512_mask_storeu_ps(c + r * ldc + 16 * v, mask, sum);
        }
    }
}

/* Rows i..i+rows of C = A · B, `width` columns (up to 16 · vectors) from j: stored to C, rows
   `ldc` apart, or added to it. */
AVX512 INLINE void product_tile(int rows, int vectors, long width, long lda, long ldb, long k, const float *a, const float *b,
                                float *c, long ldc, bool add) {
    __m512 acc[tile_rows][2];
    __mmask16 mask0 = lanes_below(width), mask1 = lanes_below(width - 16);
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    accumulate(rows, vectors, mask0, mask1, lda, 1, 0, ldb, k, a, b, acc);
    finish_tile(rows, vectors, mask0, mask1, acc, add, c, ldc);
}

/* The rows a tile takes, each count its own copy of the tile (the accumulators stay in registers
   only for a constant count). */
#define ROWS_SWITCH(remaining, call) \
    switch ((remaining) >= tile_rows ? tile_rows : (remaining)) { \
    case 12: call(12); break; case 11: call(11); break; case 10: call(10); break; case 9: call(9); break; \
    case 8: call(8); break; case 7: call(7); break; case 6: call(6); break; case 5: call(5); break; \
    case 4: call(4); break; case 3: call(3); break; case 2: call(2); break; default: call(1); break; }

/* Whole-width tiles, and tiles of one or two vectors, get copies of their own: constant widths
   and vector counts leave no test inside the tile's loop. */
AVX512 static void product_rows(long m, long width, long lda, long ldb, long k, const float *a, const float *b, float *c, long ldc,
                                bool add) {
    for (long i = 0; i < m; i += tile_rows) {
        const float *ai = a + i * lda;
        float *ci = c + i * ldc;
        if (width == 32) {
#define FULL(R) product_tile(R, 2, 32, lda, ldb, k, ai, b, ci, ldc, add)
            ROWS_SWITCH(m - i, FULL)
#undef FULL
        } else if (width > 16) {
#define TWO(R) product_tile(R, 2, width, lda, ldb, k, ai, b, ci, ldc, add)
            ROWS_SWITCH(m - i, TWO)
#undef TWO
        } else {
#define ONE(R) product_tile(R, 1, width, lda, ldb, k, ai, b, ci, ldc, add)
            ROWS_SWITCH(m - i, ONE)
#undef ONE
        }
    }
}

AVX512 void small_products_short_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) {
    for (long j = 0; j < n; j += 32) product_rows(m, n - j < 32 ? n - j : 32, k, n, k, a, b + j, c + j, n, false);
}

AVX512 void small_products_narrow_wide(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c) {
    // B, up to 32 columns at a time, copied into contiguous rows of 16 or 32 (zeros past its last
    // column), whichever holds them.
    float packed[32 * small_products_narrow_largest_k] __attribute__((aligned(64)));
    for (long j = 0; j < n; j += 32) {
        long width = n - j < 32 ? n - j : 32;
        long stride = width > 16 ? 32 : 16;
        for (long p = 0; p < k; p++) {
            for (long t = 0; t < stride; t++) {
                packed[p * stride + t] = t >= width ? 0 : transposed_b ? b[(j + t) * k + p] : b[p * n + j + t];
            }
        }
        product_rows(m, width, k, stride, k, a, packed, c + j, n, false);
    }
}

/* Rows of the product (`rows` of them, positions i.. of one sample), 16 · vectors columns of one
   tap, each row added to `image` at its target, if any, or stored there as 0 + value where `first`
   marks the pixel's first term: as `scatter_tile` in SmallProducts.c. */
AVX512 INLINE void scatter_tile(int rows, int vectors, long ldb, long k, const float *a, const float *b,
                                const long *targets, const unsigned char *first, float *image) {
    __m512 acc[tile_rows][2];
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    accumulate(rows, vectors, 0xFFFF, 0xFFFF, k, 1, 0, ldb, k, a, b, acc);
    for (int r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        float *destination = image + targets[r];
        bool fresh = first && first[r];
        for (int v = 0; v < vectors; v++) {
            __m512 base = fresh ? _mm512_setzero_ps() : _mm512_loadu_ps(destination + 16 * v);
            _mm512_storeu_ps(destination + 16 * v, _mm512_add_ps(base, acc[r][v]));
        }
    }
}

AVX512 void small_products_scatter_add_wide(long samples, long positions, long n, long k, const float *a, const float *b,
                                            long filters, const long *targets, const unsigned char *first, float *images, long image_size) {
    // A tile spans 32 columns where a tap's filters come in 32s, else 16; it never spans two taps.
    int vectors = filters % 32 == 0 ? 2 : 1;
    for (long s = 0; s < samples; s++) {
        const float *rows = a + s * positions * k;
        float *image = images + s * image_size;
        for (long j = 0; j < n; j += 16 * vectors) {
            const long *tap_targets = targets + (j / filters) * positions;
            const unsigned char *tap_first = first ? first + (j / filters) * positions : 0;
            float *filter_start = image + j % filters;
            for (long i = 0; i < positions; i += tile_rows) {
                const float *ai = rows + i * k;
                const long *ti = tap_targets + i;
                const unsigned char *fi = tap_first ? tap_first + i : 0;
                if (vectors == 2) {
#define TWO(R) scatter_tile(R, 2, n, k, ai, b + j, ti, fi, filter_start)
                    ROWS_SWITCH(positions - i, TWO)
#undef TWO
                } else {
#define ONE(R) scatter_tile(R, 1, n, k, ai, b + j, ti, fi, filter_start)
                    ROWS_SWITCH(positions - i, ONE)
#undef ONE
                }
            }
        }
    }
}

/* Rows i..i+rows of C = Aᵀ · B (A is [k, m]), `width` columns (up to 16 · vectors), over the rows
   start..end of A and B. With `resume`, the sums go on from C's values, where a chunk before left
   them (stored exactly); with `add`, sums from 0 are added to C's values; else stored. */
AVX512 INLINE void long_sum_tile(int rows, int vectors, long width, long m, long n, long start, long end,
                                 const float *a, const float *b, float *c, bool resume, bool add) {
    __m512 acc[tile_rows][2];
    __mmask16 mask0 = lanes_below(width), mask1 = lanes_below(width - 16);
    for (int r = 0; r < rows; r++) {
        acc[r][0] = !resume ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask0, c + r * n);
        acc[r][1] = !resume || vectors == 1 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask1, c + r * n + 16);
    }
    accumulate(rows, vectors, mask0, mask1, 1, m, 0, n, end - start, a + start * m, b + start * n, acc);
    finish_tile(rows, vectors, mask0, mask1, acc, add, c, n);
}

/* Rows of A and B a chunk at a time, as in SmallProducts.c. */
enum { long_sum_chunk = 128 };

AVX512 void small_products_long_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) {
    long start = 0;
    do {
        long end = start + long_sum_chunk < k ? start + long_sum_chunk : k;
        for (long j = 0; j < n; j += 32) {
            long width = n - j < 32 ? n - j : 32;
            for (long i = 0; i < m; i += tile_rows) {
                if (width > 16) {
#define TWO(R) long_sum_tile(R, 2, width, m, n, start, end, a + i, b + j, c + i * n + j, start > 0, false)
                    ROWS_SWITCH(m - i, TWO)
#undef TWO
                } else {
#define ONE(R) long_sum_tile(R, 1, width, m, n, start, end, a + i, b + j, c + i * n + j, start > 0, false)
                    ROWS_SWITCH(m - i, ONE)
#undef ONE
                }
            }
        }
        start = end;
    } while (start < k);
}

/* The length of the next block of a sum with `remaining` terms, as OpenBLAS's level-3 driver cuts
   k: `block` terms while two blocks' worth remain; then what is left in one block, or, when that
   is more than `block`, in two, the first rounded up to a multiple of `unroll`. */
static long next_block(long remaining, long block, long unroll) {
    if (remaining >= 2 * block) return block;
    if (remaining > block) return (remaining / 2 + unroll - 1) / unroll * unroll;
    return remaining;
}

AVX512 void small_products_blocked_wide(bool transposed_a, long m, long n, long k, long block, long unroll,
                                        const float *a, const float *b, float *c) {
    for (long start = 0, length; start < k; start += length) {
        length = next_block(k - start, block, unroll);
        bool add = start > 0;
        for (long j = 0; j < n; j += 32) {
            long width = n - j < 32 ? n - j : 32;
            if (!transposed_a) {
                product_rows(m, width, k, n, length, a + start, b + start * n + j, c + j, n, add);
                continue;
            }
            for (long i = 0; i < m; i += tile_rows) {
                if (width > 16) {
#define TWO(R) long_sum_tile(R, 2, width, m, n, start, start + length, a + i, b + j, c + i * n + j, false, add)
                    ROWS_SWITCH(m - i, TWO)
#undef TWO
                } else {
#define ONE(R) long_sum_tile(R, 1, width, m, n, start, start + length, a + i, b + j, c + i * n + j, false, add)
                    ROWS_SWITCH(m - i, ONE)
#undef ONE
                }
            }
        }
    }
}

/* Receptive fields read where they lie instead of from im2col's cols: the image (with its
   channels) is zero-padded once into a frame, so that term p of position (oh, ow)'s field (p in the
   cols' order: tap, then channel) is frame[oh · line_step + ow · position_step + deltas[p]], a
   value of the image or a padding zero, as the cols hold. The products read those values in place
   and sum each element as the product of the cols would: one chain of fused multiply-adds, in the
   terms' order, from 0. */

/* C rows of one line of positions (`rows` of them, `position_step` apart in the frame) = their
   fields · B: the terms in blocks as `small_products_blocked_wide` cuts them (one block where
   `block` is at least `terms`), each block's sums stored or, after the first, added. */
AVX512 INLINE void fields_tile(int rows, int vectors, long width, long position_step, const long *deltas, long terms,
                               long block, long unroll, const float *image, const float *b, long ldb, float *c, long ldc) {
    __mmask16 mask0 = lanes_below(width), mask1 = lanes_below(width - 16);
    for (long start = 0, length; start < terms; start += length) {
        length = next_block(terms - start, block, unroll);
        __m512 acc[tile_rows][2];
        for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        accumulate(rows, vectors, mask0, mask1, position_step, 0, deltas + start, ldb, length, image, b + start * ldb, acc);
        finish_tile(rows, vectors, mask0, mask1, acc, start > 0, c, ldc);
    }
}

/* The same on 64 columns (four vectors) of up to 7 rows: where lines are 14 positions or fewer,
   tiles of 7 rows by 32 columns would broadcast each field value twice as often. */
enum { narrow_tile_rows = 7 };

AVX512 INLINE void fields_tile_64(int rows, long position_step, const long *deltas, long terms, long block, long unroll,
                                  const float *image, const float *b, long ldb, float *c, long ldc) {
    for (long start = 0, length; start < terms; start += length) {
        length = next_block(terms - start, block, unroll);
        __m512 acc[narrow_tile_rows][4];
        for (int r = 0; r < rows; r++) for (int v = 0; v < 4; v++) acc[r][v] = _mm512_setzero_ps();
        for (long p = start; p < start + length; p++) {
            const float *ap = image + deltas[p], *bp = b + p * ldb;
            __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16), b2 = _mm512_loadu_ps(bp + 32), b3 = _mm512_loadu_ps(bp + 48);
            for (int r = 0; r < rows; r++) {
                __m512 x = _mm512_set1_ps(ap[r * position_step]);
                acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
                acc[r][2] = _mm512_fmadd_ps(x, b2, acc[r][2]);
                acc[r][3] = _mm512_fmadd_ps(x, b3, acc[r][3]);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < 4; v++) {
                float *cv = c + r * ldc + 16 * v;
                _mm512_storeu_ps(cv, start > 0 ? _mm512_add_ps(_mm512_loadu_ps(cv), acc[r][v]) : acc[r][v]);
            }
        }
    }
}

AVX512 void small_products_fields_product_wide(const struct small_products_fields *f, const float *frame, long n,
                                               const float *b, long block, long unroll, float *c) {
    // A line's positions in near-equal tiles (28 as 10, 9, 9; 14 as 7, 7): a short last tile
    // would leave too few independent sums to keep the multipliers busy.
    long tiles = (f->out_w + tile_rows - 1) / tile_rows, per_tile = (f->out_w + tiles - 1) / tiles;
    long j = 0;
    if (per_tile <= narrow_tile_rows) {
        for (; j + 64 <= n; j += 64) {
            for (long oh = 0; oh < f->out_h; oh++) {
                for (long ow = 0; ow < f->out_w; ow += per_tile) {
                    const float *image = frame + oh * f->line_step + ow * f->position_step;
                    float *ci = c + (oh * f->out_w + ow) * n + j;
                    long remaining = f->out_w - ow < per_tile ? f->out_w - ow : per_tile;
#define SIXTY_FOUR(R) fields_tile_64(R, f->position_step, f->deltas, f->terms, block, unroll, image, b + j, n, ci, n)
                    switch (remaining) {
                    case 7: SIXTY_FOUR(7); break; case 6: SIXTY_FOUR(6); break; case 5: SIXTY_FOUR(5); break;
                    case 4: SIXTY_FOUR(4); break; case 3: SIXTY_FOUR(3); break; case 2: SIXTY_FOUR(2); break; default: SIXTY_FOUR(1); break;
                    }
#undef SIXTY_FOUR
                }
            }
        }
    }
    for (; j < n; j += 32) {
        long width = n - j < 32 ? n - j : 32;
        for (long oh = 0; oh < f->out_h; oh++) {
            for (long ow = 0; ow < f->out_w; ow += per_tile) {
                const float *image = frame + oh * f->line_step + ow * f->position_step;
                float *ci = c + (oh * f->out_w + ow) * n + j;
                long remaining = f->out_w - ow < per_tile ? f->out_w - ow : per_tile;
                if (width == 32) {
#define FULL(R) fields_tile(R, 2, 32, f->position_step, f->deltas, f->terms, block, unroll, image, b + j, n, ci, n)
                    ROWS_SWITCH(remaining, FULL)
#undef FULL
                } else if (width > 16) {
#define TWO(R) fields_tile(R, 2, width, f->position_step, f->deltas, f->terms, block, unroll, image, b + j, n, ci, n)
                    ROWS_SWITCH(remaining, TWO)
#undef TWO
                } else {
#define ONE(R) fields_tile(R, 1, width, f->position_step, f->deltas, f->terms, block, unroll, image, b + j, n, ci, n)
                    ROWS_SWITCH(remaining, ONE)
#undef ONE
                }
            }
        }
    }
}

/* acc += the terms at `offsets` (or, `side_by_side`, at offsets[0] + r) of every position of every
   frame · B's rows, in order. */
AVX512 INLINE void fields_gradient_sums(int rows, int vectors, bool side_by_side, __mmask16 mask0, __mmask16 mask1,
                                        const struct small_products_fields *f, long frames, long frame_size, const float *frame,
                                        const long *offsets, const float *b, long ldb, __m512 acc[tile_rows][2]) {
    const float *b_row = b;
    for (long s = 0; s < frames; s++) {
        for (long oh = 0; oh < f->out_h; oh++) {
            const float *line = frame + s * frame_size + oh * f->line_step;
            for (long ow = 0; ow < f->out_w; ow++, b_row += ldb) {
                const float *field = line + ow * f->position_step;
                __m512 b0 = _mm512_maskz_loadu_ps(mask0, b_row);
                __m512 b1 = vectors > 1 ? _mm512_maskz_loadu_ps(mask1, b_row + 16) : _mm512_setzero_ps();
                for (int r = 0; r < rows; r++) {
                    __m512 x = _mm512_set1_ps(side_by_side ? field[offsets[0] + r] : field[offsets[r]]);
                    acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
                    if (vectors > 1) acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
                }
            }
        }
    }
}

/* Terms deltas[0..rows) of C = fieldsᵀ · B over every position of every frame, stored: each
   element one chain over the frames' positions in order, as `long_sum_tile` sums colsᵀ · B. */
AVX512 INLINE void fields_gradient_tile(int rows, int vectors, long width, const struct small_products_fields *f, long frames,
                                        long frame_size, const float *frame, const long *deltas, const float *b, long ldb,
                                        float *c, long ldc) {
    __m512 acc[tile_rows][2];
    __mmask16 mask0 = lanes_below(width), mask1 = lanes_below(width - 16);
    long offsets[tile_rows];
    // The terms of one tap's channels lie side by side in the frame: no table to read for them.
    bool side_by_side = true;
    for (int r = 0; r < rows; r++) {
        acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        offsets[r] = deltas[r];
        side_by_side = side_by_side && deltas[r] == deltas[0] + r;
    }
    if (side_by_side) {
        fields_gradient_sums(rows, vectors, true, mask0, mask1, f, frames, frame_size, frame, offsets, b, ldb, acc);
    } else {
        fields_gradient_sums(rows, vectors, false, mask0, mask1, f, frames, frame_size, frame, offsets, b, ldb, acc);
    }
    finish_tile(rows, vectors, mask0, mask1, acc, false, c, ldc);
}

AVX512 void small_products_fields_gradient_wide(const struct small_products_fields *f, long frames, long frame_size,
                                                const float *frame, long n, const float *b, float *c) {
    for (long t = 0; t < f->terms; t += tile_rows) {
        long rows = f->terms - t;
        const long *deltas = f->deltas + t;
        for (long j = 0; j < n; j += 32) {
            long width = n - j < 32 ? n - j : 32;
            float *ct = c + t * n + j;
            if (width > 16) {
#define TWO(R) fields_gradient_tile(R, 2, width, f, frames, frame_size, frame, deltas, b + j, n, ct, n)
                ROWS_SWITCH(rows, TWO)
#undef TWO
            } else {
#define ONE(R) fields_gradient_tile(R, 1, width, f, frames, frame_size, frame, deltas, b + j, n, ct, n)
                ROWS_SWITCH(rows, ONE)
#undef ONE
            }
        }
    }
}

/* A transposed convolution with one filter and stride 1, forward, for one sample: what the narrow
   product u = x · Wᵀ [positions, taps] and col2im of u onto the image compute, bit for bit, with
   the positions on the lanes instead of the taps (of which there are 9 or so for 16 lanes):

     1. x [positions, depth] is transposed, 16 × 16 values at a time, into `columns` [depth, padded];
     2. u[t] [positions] = Σ_c columns[c] · W[t, c], each value one chain over c = 0 … depth − 1,
        from 0, as the narrow product sums it;
     3. each pixel of the image is 0 + its terms, in the order col2im adds them: the positions
        (oh, ow) ascending, that is the taps (ki, kj) descending; a tap outside adds nothing. */

/* 16 rows of 16 values, transposed in registers. */
AVX512 INLINE void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    }
    for (int i = 0; i < 16; i += 8) {
        for (int j = 0; j < 4; j++) {
            t[i + j] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0x88);
            t[i + j + 4] = _mm512_shuffle_f32x4(r[i + j], r[i + j + 4], 0xdd);
        }
    }
    for (int j = 0; j < 8; j++) {
        r[j] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);
        r[j + 8] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xdd);
    }
}

/* u[t] [padded] = Σ_c columns[c] · w[t, c] for `count` taps (a constant in each copy, so that the
   sums stay in registers), each value one chain over c in order, from 0. */
AVX512 INLINE void one_filter_taps(int count, long depth, long padded, const float *columns, const float *w, float *u) {
    for (long p = 0; p < padded; p += 16) {
        __m512 acc[16];
        for (int t = 0; t < count; t++) acc[t] = _mm512_setzero_ps();
        for (long c = 0; c < depth; c++) {
            __m512 column = _mm512_loadu_ps(columns + c * padded + p);
            for (int t = 0; t < count; t++) acc[t] = _mm512_fmadd_ps(column, _mm512_set1_ps(w[t * depth + c]), acc[t]);
        }
        for (int t = 0; t < count; t++) _mm512_storeu_ps(u + t * padded + p, acc[t]);
    }
}

#define TAPS_SWITCH(remaining, call) \
    switch ((remaining) >= 16 ? 16 : (remaining)) { \
    case 16: call(16); break; case 15: call(15); break; case 14: call(14); break; case 13: call(13); break; \
    case 12: call(12); break; case 11: call(11); break; case 10: call(10); break; case 9: call(9); break; \
    case 8: call(8); break; case 7: call(7); break; case 6: call(6); break; case 5: call(5); break; \
    case 4: call(4); break; case 3: call(3); break; case 2: call(2); break; default: call(1); break; }

AVX512 void small_products_one_filter_forward_wide(const struct small_products_one_filter *g, const float *x, const float *w,
                                                   float *scratch, float *image) {
    long positions = g->out_h * g->out_w, padded = (positions + 15) / 16 * 16, taps = g->kh * g->kw, depth = g->depth;
    float *columns = scratch, *u = scratch + depth * padded;
    // 1. columns [depth, padded] = xᵀ; positions past the last read zeros.
    for (long p = 0; p < padded; p += 16) {
        for (long c = 0; c < depth; c += 16) {
            __m512 r[16];
            __mmask16 lanes = lanes_below(depth - c);
            for (int i = 0; i < 16; i++) r[i] = p + i < positions ? _mm512_maskz_loadu_ps(lanes, x + (p + i) * depth + c) : _mm512_setzero_ps();
            transpose16(r);
            for (int j = 0; j < 16 && c + j < depth; j++) _mm512_storeu_ps(columns + (c + j) * padded + p, r[j]);
        }
    }
    // 2. u [taps, padded], up to 16 taps at a time in registers.
    for (long t = 0; t < taps; t += 16) {
#define TAPS(T) one_filter_taps(T, depth, padded, columns, w + t * depth, u + t * padded)
        TAPS_SWITCH(taps - t, TAPS)
#undef TAPS
    }
    // 3. The image, 16 pixels of a row at a time.
    for (long ih = 0; ih < g->in_h; ih++) {
        for (long iw = 0; iw < g->in_w; iw += 16) {
            __m512 sum = _mm512_setzero_ps();
            for (long ki = g->kh - 1; ki >= 0; ki--) {
                long oh = ih + g->pad_top - ki;
                if (oh < 0 || oh >= g->out_h) continue;
                for (long kj = g->kw - 1; kj >= 0; kj--) {
                    // Pixels iw + l take position ow = iw + l + pad_left − kj, where 0 ≤ ow < out_w.
                    long ow = iw + g->pad_left - kj;
                    long first = ow < 0 ? -ow : 0, end = g->out_w - ow;
                    if (end > 16) end = 16;
                    if (end > g->in_w - iw) end = g->in_w - iw;
                    if (first >= end) continue;
                    __mmask16 lanes = (__mmask16)(lanes_below(end) & ~lanes_below(first));
                    const float *row = u + (ki * g->kw + kj) * padded + oh * g->out_w + ow;
                    sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(lanes, row));
                }
            }
            _mm512_mask_storeu_ps(image + ih * g->in_w + iw, lanes_below(g->in_w - iw), sum);
        }
    }
}

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void small_products_narrow_wide(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)transposed_b; (void)c; }
void small_products_short_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_long_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_blocked_wide(bool transposed_a, long m, long n, long k, long block, long unroll,
                                 const float *a, const float *b, float *c) {
    (void)transposed_a; (void)m; (void)n; (void)k; (void)block; (void)unroll; (void)a; (void)b; (void)c;
}
void small_products_one_filter_forward_wide(const struct small_products_one_filter *g, const float *x, const float *w,
                                            float *scratch, float *image) {
    (void)g; (void)x; (void)w; (void)scratch; (void)image;
}
void small_products_fields_product_wide(const struct small_products_fields *f, const float *frame, long n, const float *b,
                                        long block, long unroll, float *c) {
    (void)f; (void)frame; (void)n; (void)b; (void)block; (void)unroll; (void)c;
}
void small_products_fields_gradient_wide(const struct small_products_fields *f, long frames, long frame_size, const float *frame,
                                         long n, const float *b, float *c) {
    (void)f; (void)frames; (void)frame_size; (void)frame; (void)n; (void)b; (void)c;
}
void small_products_scatter_add_wide(long samples, long positions, long n, long k, const float *a, const float *b,
                                     long filters, const long *targets, const unsigned char *first, float *images, long image_size) {
    (void)samples; (void)positions; (void)n; (void)k; (void)a; (void)b; (void)filters; (void)targets; (void)first; (void)images; (void)image_size;
}
#endif
