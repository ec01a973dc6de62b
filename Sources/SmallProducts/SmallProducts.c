#include "SmallProducts.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2_FMA __attribute__((target("avx2,fma")))

/* The lanes below `count` (0 to 8) of a mask for maskload. */
AVX2_FMA static inline __attribute__((always_inline)) __m256i lanes_below(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count < 0 ? 0 : count > 8 ? 8 : count)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Loads and stores of up to eight lanes: whole vectors where they can, since masked moves are
   slow on some CPUs (AMD's Zen, where a masked store costs many cycles); at the ends of rows, a
   masked load and a store lane by lane. */
AVX2_FMA static inline __attribute__((always_inline)) __m256 load(const float *p, long count) {
    return count >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, lanes_below(count));
}

AVX2_FMA static inline __attribute__((always_inline)) void store(float *p, long count, __m256 v) {
    if (count >= 8) { _mm256_storeu_ps(p, v); return; }
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    for (long t = 0; t < count; t++) p[t] = lanes[t];
}

/* acc = rows i..i+rows of A (`rows` at most 6, each k long) · 16 columns of B: `width` (1 to 16)
   of B's, whose rows are `ldb` apart, the rest zeros. Each sum: p = 0, 1, … k − 1, in order. */
AVX2_FMA static inline __attribute__((always_inline)) void short_sum_accumulate(int rows, long width, long ldb, long k, const float *a,
                                                                               const float *b, __m256 acc[6][2]) {
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (long p = 0; p < k; p++) {
        __m256 b0 = load(b + p * ldb, width), b1 = width > 8 ? load(b + p * ldb + 8, width - 8) : _mm256_setzero_ps();
        for (int r = 0; r < rows; r++) {
            __m256 x = _mm256_broadcast_ss(a + r * k + p);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
}

/* Rows i..i+rows of C (`rows` at most 6), 16 columns: `width` (1 to 16) of B's, whose rows are
   `ldb` apart; the first `stored` of them go to C, whose rows are `ldc` apart. */
AVX2_FMA static inline __attribute__((always_inline)) void short_sum_tile(int rows, long width, long ldb, long k, const float *a, const float *b,
                                           float *c, long stored, long ldc) {
    __m256 acc[6][2];
    short_sum_accumulate(rows, width, ldb, k, a, b, acc);
    for (int r = 0; r < rows; r++) {
        store(c + r * ldc, stored, acc[r][0]);
        if (stored > 8) store(c + r * ldc + 8, stored - 8, acc[r][1]);
    }
}

AVX2_FMA void small_products_short_sum(long m, long n, long k, const float *a, const float *b, float *c) {
    for (long j = 0; j < n; j += 16) {
        long width = n - j < 16 ? n - j : 16;
        long i = 0;
        // Two copies of the loops: with a constant 16 the tiles load whole vectors without a test.
        if (width == 16) {
            for (; i + 6 <= m; i += 6) short_sum_tile(6, 16, n, k, a + i * k, b + j, c + i * n + j, 16, n);
            for (; i < m; i++) short_sum_tile(1, 16, n, k, a + i * k, b + j, c + i * n + j, 16, n);
        } else {
            for (; i + 6 <= m; i += 6) short_sum_tile(6, width, n, k, a + i * k, b + j, c + i * n + j, width, n);
            for (; i < m; i++) short_sum_tile(1, width, n, k, a + i * k, b + j, c + i * n + j, width, n);
        }
    }
}

AVX2_FMA void small_products_narrow(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c) {
    // B, 16 columns at a time, padded with zeros: the tile loop then loads whole vectors only,
    // and the padding's sums are computed and dropped.
    float packed[16 * small_products_narrow_largest_k] __attribute__((aligned(32)));
    for (long j = 0; j < n; j += 16) {
        long width = n - j < 16 ? n - j : 16;
        for (long p = 0; p < k; p++) {
            for (long t = 0; t < 16; t++) {
                packed[p * 16 + t] = t >= width ? 0 : transposed_b ? b[(j + t) * k + p] : b[p * n + j + t];
            }
        }
        long i = 0;
        for (; i + 6 <= m; i += 6) short_sum_tile(6, 16, 16, k, a + i * k, packed, c + i * n + j, width, n);
        for (; i < m; i++) short_sum_tile(1, 16, 16, k, a + i * k, packed, c + i * n + j, width, n);
    }
}

/* Rows i..i+rows of the product (`rows` at most 6, the positions i.. of one sample), 16 columns
   of one tap: each row's 16 values are added to `image` at that position's target, if any, or
   stored there as 0 + value where `first` marks the pixel's first term (the sum a zeroed image
   would hold, −0 included). */
AVX2_FMA static inline __attribute__((always_inline)) void scatter_tile(int rows, long ldb, long k, const float *a, const float *b,
                                                                       const long *targets, const unsigned char *first, float *image) {
    __m256 acc[6][2];
    short_sum_accumulate(rows, 16, ldb, k, a, b, acc);
    for (int r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        float *destination = image + targets[r];
        __m256 base0 = _mm256_setzero_ps(), base1 = _mm256_setzero_ps();
        if (!(first && first[r])) { base0 = _mm256_loadu_ps(destination); base1 = _mm256_loadu_ps(destination + 8); }
        _mm256_storeu_ps(destination, _mm256_add_ps(base0, acc[r][0]));
        _mm256_storeu_ps(destination + 8, _mm256_add_ps(base1, acc[r][1]));
    }
}

AVX2_FMA void small_products_scatter_add(long samples, long positions, long n, long k, const float *a, const float *b,
                                         long filters, const long *targets, const unsigned char *first, float *images, long image_size) {
    for (long s = 0; s < samples; s++) {
        const float *rows = a + s * positions * k;
        float *image = images + s * image_size;
        for (long j = 0; j < n; j += 16) {
            const long *tap_targets = targets + (j / filters) * positions;
            const unsigned char *tap_first = first ? first + (j / filters) * positions : 0;
            float *filter_start = image + j % filters;
            long i = 0;
            for (; i + 6 <= positions; i += 6) scatter_tile(6, n, k, rows + i * k, b + j, tap_targets + i, tap_first ? tap_first + i : 0, filter_start);
            for (; i < positions; i++) scatter_tile(1, n, k, rows + i * k, b + j, tap_targets + i, tap_first ? tap_first + i : 0, filter_start);
        }
    }
}

/* Rows i..i+rows of C, columns j..j+8 (`width` of them, 1 to 8), over the rows start..end of A
   and B; C holds the running sums between chunks. */
AVX2_FMA static inline __attribute__((always_inline)) void long_sum_tile(int rows, long width, long m, long n, long start, long end,
                                          const float *a, const float *b, float *c) {
    __m256 acc[12];
    for (int r = 0; r < rows; r++) acc[r] = start == 0 ? _mm256_setzero_ps() : load(c + r * n, width);
    for (long p = start; p < end; p++) {
        __m256 y = load(b + p * n, width);
        for (int r = 0; r < rows; r++) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(a + p * m + r), y, acc[r]);
    }
    for (int r = 0; r < rows; r++) store(c + r * n, width, acc[r]);
}

/* Rows of A and B a chunk at a time, so that the chunk stays in the first-level cache while
   every column block of C goes over it. */
enum { long_sum_chunk = 128 };

/* The rows of C a tile takes: 12 where there are more, else all that remain, each count its
   own copy of the tile loop (the accumulators stay in registers only for a constant count). */
AVX2_FMA static inline __attribute__((always_inline)) void long_sum_rows(long remaining, long width, long m, long n, long start, long end,
                                          const float *a, const float *b, float *c) {
    switch (remaining >= 12 ? 12 : remaining) {
    case 12: long_sum_tile(12, width, m, n, start, end, a, b, c); break;
    case 11: long_sum_tile(11, width, m, n, start, end, a, b, c); break;
    case 10: long_sum_tile(10, width, m, n, start, end, a, b, c); break;
    case 9: long_sum_tile(9, width, m, n, start, end, a, b, c); break;
    case 8: long_sum_tile(8, width, m, n, start, end, a, b, c); break;
    case 7: long_sum_tile(7, width, m, n, start, end, a, b, c); break;
    case 6: long_sum_tile(6, width, m, n, start, end, a, b, c); break;
    case 5: long_sum_tile(5, width, m, n, start, end, a, b, c); break;
    case 4: long_sum_tile(4, width, m, n, start, end, a, b, c); break;
    case 3: long_sum_tile(3, width, m, n, start, end, a, b, c); break;
    case 2: long_sum_tile(2, width, m, n, start, end, a, b, c); break;
    default: long_sum_tile(1, width, m, n, start, end, a, b, c); break;
    }
}

AVX2_FMA void small_products_long_sum(long m, long n, long k, const float *a, const float *b, float *c) {
    long start = 0;
    do {
        long end = start + long_sum_chunk < k ? start + long_sum_chunk : k;
        for (long j = 0; j < n; j += 8) {
            long width = n - j < 8 ? n - j : 8;
            for (long i = 0; i < m; i += 12) long_sum_rows(m - i, width, m, n, start, end, a + i, b + j, c + i * n + j);
        }
        start = end;
    } while (start < k);
}

#else
/* Other architectures never call these (the engine checks the CPU's features first). */
void small_products_narrow(long m, long n, long k, const float *a, const float *b, bool transposed_b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)transposed_b; (void)c; }
void small_products_short_sum(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_long_sum(long m, long n, long k, const float *a, const float *b, float *c) { (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; }
void small_products_scatter_add(long samples, long positions, long n, long k, const float *a, const float *b,
                                long filters, const long *targets, const unsigned char *first, float *images, long image_size) {
    (void)samples; (void)positions; (void)n; (void)k; (void)a; (void)b; (void)filters; (void)targets; (void)first; (void)images; (void)image_size;
}
#endif
