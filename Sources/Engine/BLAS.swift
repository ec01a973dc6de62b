import COpenBLAS
import Dispatch
import Foundation

/// Matrix products through OpenBLAS. All matrices are row-major.
///
/// OpenBLAS itself always runs on one thread here: its own threading splits a product in ways
/// that depend on the thread count, and the edge tiles then round differently, so 1 and 2 threads
/// would train different models. Instead a large product is cut into blocks of rows (or columns)
/// of C whose boundaries depend only on the matrix shapes, and the blocks run on
/// `Parallel.threads` threads: the same numbers for any thread count.
public enum BLAS {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n.
    ///
    /// `then` is called with the rows and columns of each block of C as soon as the block is
    /// done, on the thread that computed it, while the block is still in the cache (a dense
    /// layer adds its bias and applies its activation there).
    ///
    /// ```swift
    /// BLAS.gemm(m: 2, n: 2, k: 3, a: a, b: b, c: c)   // c = a · b
    /// ```
    @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>,
                            then epilogue: ((_ rows: Range<Int>, _ columns: Range<Int>) -> Void)? = nil) {
        _ = ready
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let blocks = blockCount(m: m, n: n, k: k)
        guard blocks > 1 else {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
            epilogue?(0..<m, 0..<n)
            return
        }
        let splitRows = m >= n
        let length = splitRows ? m : n
        let units = (length + blockAlignment - 1) / blockAlignment
        Parallel.each(blocks) { block in
            let start = min(length, blockAlignment * (units * block / blocks))
            let end = block == blocks - 1 ? length : min(length, blockAlignment * (units * (block + 1) / blocks))
            guard end > start else { return }
            if splitRows {
                sgemm(transposeA, transposeB, end - start, n, k, alpha, transposeA ? a + start : a + start * lda, lda, b, ldb, beta, c + start * n, n)
                epilogue?(start..<end, 0..<n)
            } else {
                sgemm(transposeA, transposeB, m, end - start, k, alpha, a, lda, transposeB ? b + start * ldb : b + start, ldb, beta, c + start, n)
                epilogue?(0..<m, start..<end)
            }
        }
    }

    /// The same product in one piece on the calling thread, for code that is already running
    /// in parallel (one call per block of samples).
    @inline(__always)
    static func gemmOnThisThread(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                                 a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        _ = ready
        // Products with one small dimension go to the engine's own kernels where this CPU runs them.
        if beta == 0, SmallProductKernels.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, c: c) {
            count(m: m, n: n, k: k)
            return
        }
        sgemm(transposeA, transposeB, m, n, k, 1, a, transposeA ? m : k, b, transposeB ? k : n, beta, c, n)
    }

    /// Blocks of C start at multiples of this, so that OpenBLAS's kernels see whole tiles.
    static let blockAlignment = 16
    /// Work below this many multiply-adds per block is not worth another thread.
    static let minimumBlockWork = 1 << 22
    /// The most blocks a product is cut into, whatever the machine.
    static let maximumBlocks = 8
    /// The fewest rows or columns of C a block spans. OpenBLAS packs the operand that all blocks
    /// share once per block: narrower blocks pack it more often for the same sums (with the MLP
    /// VAE's 512-wide products cut in eight, packing took a fifth of its training time).
    static let minimumBlockSpan = 128

    /// How many blocks a product of these shapes is cut into: a function of the shapes alone.
    ///
    /// An even number where there is more than one: on two threads, three blocks keep one thread
    /// waiting for a block's time (a dense autoencoder's 784-wide products were cut in three).
    static func blockCount(m: Int, n: Int, k: Int) -> Int {
        let work = m * n * k
        let most = min(maximumBlocks, max(m, n) / minimumBlockSpan)
        let count = max(1, min(most, work / minimumBlockWork))
        return count > 1 && count % 2 == 1 && count < most ? count + 1 : count
    }

    @inline(__always)
    private static func sgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        count(m: m, n: n, k: k)
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// destination [columns, rows] = source [rows, columns]ᵀ: for a kernel that the products of
    /// every block read transposed, transposed once instead of in each product (the engine's
    /// short-sum kernels read B as stored, and OpenBLAS packs a transposed operand more slowly).
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for c in 0..<columns { destination[c * rows + r] = source[r * columns + c] }
        }
    }

    /// C (n×n, upper triangle) = alpha · Aᵀ·A + beta · C for A (k×n), in double precision, on one thread.
    public static func symmetricRankK(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, beta: Double = 0, c: UnsafeMutablePointer<Double>) {
        _ = ready
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(n), beta, c, Int32(n))
    }

    /// Adds a product to `performedFLOPs`, in debug builds.
    @inline(__always)
    static func count(m: Int, n: Int, k: Int) {
        #if DEBUG
        performedLock.withLock { performedFLOPs += 2 * Double(m) * Double(n) * Double(k) }
        #endif
    }

    #if DEBUG
    /// 2·m·n·k summed over every product since the last reset, in debug builds only: tests
    /// check the benchmark's FLOP count (`Model.trainingGEMMs`) against what really ran.
    nonisolated(unsafe) static var performedFLOPs = 0.0
    private static let performedLock = NSLock()
    #endif

    /// Set once, before the first product: the kernels for this CPU's features (`BLASKernels`),
    /// then one thread.
    private static let ready: Void = {
        _ = BLASKernels.active
        openblas_set_num_threads(1)
    }()

    /// Readies OpenBLAS (kernels, threads) for code that calls it directly rather than through
    /// `gemm`, such as LAPACK: the engine's own products do this themselves.
    ///
    /// ```swift
    /// BLAS.prepare()
    /// dsyevd_(...)
    /// ```
    public static func prepare() { _ = ready }

    /// OpenBLAS's version and build, the kernels it runs and why, e.g. "OpenBLAS 0.3.21
    /// DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64; Haswell kernels, chosen for AVX2 and FMA
    /// (OpenBLAS had picked Zen)". Other kernels round differently, so runs are only comparable
    /// bit for bit when the kernels match.
    public static let configuration = "\(build); \(BLASKernels.active); \(SmallProductKernels.description)"

    /// OpenBLAS's own account of its version and build, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH
    /// NO_AFFINITY Haswell MAX_THREADS=64".
    static let build: String = {
        prepare()
        guard let text = openblas_get_config() else { return "OpenBLAS (unknown build)" }
        return String(cString: text).trimmingCharacters(in: .whitespaces)
    }()

    /// The cores OpenBLAS would use by default, before it is pinned to one thread.
    static let processorCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
