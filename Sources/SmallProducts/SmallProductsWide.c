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

/* acc += `rows` rows of A, k terms each (row r's term p at a[r · row_step + p · term_step]), ·
   `vectors` (1 or 2) vectors of 16 columns of B, whose rows are `ldb` apart; the lanes outside
   `mask0` and `mask1` read zeros. The terms of each sum: p = 0, 1, … k − 1, in order, each a
   fused multiply-add. */
AVX512 INLINE void accumulate(int rows, int vectors, __mmask16 mask0, __mmask16 mask1, long row_step, long term_step,
                              long ldb, long k, const float *a, const float *b, __m512 acc[tile_rows][2]) {
    for (long p = 0; p < k; p++) {
        __m512 b0 = _mm512_maskz_loadu_ps(mask0, b + p * ldb);
        __m512 b1 = vectors > 1 ? _mm512_maskz_loadu_ps(mask1, b + p * ldb + 16) : _mm512_setzero_ps();
        for (int r = 0; r < rows; r++) {
            __m512 x = _mm512_set1_ps(a[r * row_step + p * term_step]);
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
    accumulate(rows, vectors, mask0, mask1, lda, 1, ldb, k, a, b, acc);
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
    accumulate(rows, vectors, 0xFFFF, 0xFFFF, k, 1, ldb, k, a, b, acc);
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
    accumulate(rows, vectors, mask0, mask1, 1, m, n, end - start, a + start * m, b + start * n, acc);
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

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void small_products_narrow_wide(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)transposed_b; (void)c; }
void small_products_short_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_long_sum_wide(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_blocked_wide(bool transposed_a, long m, long n, long k, long block, long unroll,
                                 const float *a, const float *b, float *c) {
    (void)transposed_a; (void)m; (void)n; (void)k; (void)block; (void)unroll; (void)a; (void)b; (void)c;
}
void small_products_scatter_add_wide(long samples, long positions, long n, long k, const float *a, const float *b,
                                     long filters, const long *targets, const unsigned char *first, float *images, long image_size) {
    (void)samples; (void)positions; (void)n; (void)k; (void)a; (void)b; (void)filters; (void)targets; (void)first; (void)images; (void)image_size;
}
#endif
