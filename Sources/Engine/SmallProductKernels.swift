import SmallProducts

/// The engine's own kernels for the products OpenBLAS (tiled for large products) runs slowly:
/// those with one side of a few dozen at most, as at the one-channel ends of an image model
/// (9 taps), or with a short sum (the 64 channels of a transposed convolution's forward pass, which
/// a kernel also scatters onto the output as it multiplies, with no cols in between). Measured
/// against OpenBLAS's `Haswell` kernels on the conv VAE's shapes, on one core, they run 1.2–2.6
/// times faster.
///
/// They need AVX2 and FMA, and run on sixteen lanes where the CPU has AVX-512 F, with the same
/// bits (`Lanes`). Like OpenBLAS's kernels they give the same bits on every CPU with the
/// same features, and each element of a product is summed the same way wherever it sits, so a
/// product split into blocks gives the bits of the product whole (`SmallProducts.h` states the
/// order of each sum).
enum SmallProductKernels {
    /// Whether this process runs them: the CPU has AVX2 and FMA, and OpenBLAS runs kernels for
    /// such a CPU. When `OPENBLAS_CORETYPE` names older kernels (to reproduce an older machine's
    /// bits), every product goes to OpenBLAS, as on that machine.
    static let available: Bool = usable(features: .detected, core: BLASKernels.active.core)

    /// How wide a vector the kernels use: tiles of up to 6 rows by 16 columns on eight lanes, of
    /// up to 12 rows by 32 columns on sixteen. Both builds sum each element the same way.
    typealias Lanes = VectorLanes

    /// The widest this CPU runs.
    static let lanes: Lanes = .widest

    /// Whether products that would go to OpenBLAS may instead go to a kernel that sums them as
    /// OpenBLAS does here, bit for bit: OpenBLAS is the version whose sums were checked
    /// (`summedAsVersion`) and runs its `SkylakeX` kernels, whose large products sum each element
    /// in blocks of one chain each (`small_products_blocked_wide`), and the CPU has the sixteen
    /// lanes that kernel needs. Only the speed changes: the convolutions' products, with 64
    /// columns or fewer, skip OpenBLAS's packing copies, which take longer than the sums on such
    /// shapes.
    static let sumsAsOpenBLAS = sumAsOpenBLAS(lanes: lanes, core: BLASKernels.active.core, configuration: BLAS.build)

    /// The OpenBLAS whose `SkylakeX` sums the blocked kernel reproduces, as its configuration
    /// string begins (`BLAS.build`); another version may cut its sums another way.
    static let summedAsVersion = "OpenBLAS 0.3.21 "

    static func sumAsOpenBLAS(lanes: Lanes, core: String, configuration: String) -> Bool {
        lanes == .sixteen && core.caseInsensitiveCompare("SkylakeX") == .orderedSame && configuration.hasPrefix(summedAsVersion)
    }

    /// OpenBLAS 0.3.21's `SkylakeX` single-precision products: above this many multiply-adds they
    /// take the blocked path (at or below it, small-matrix kernels that sum another way); its
    /// block of the sum, and the multiple it rounds a half block up to.
    static let openBLASBlockedAbove = 1_000_000
    static let openBLASSumBlock = 448
    static let openBLASSumUnroll = 16
    /// Beyond this many columns OpenBLAS's own path is as fast.
    static let largestBlockedWidth = 64

    /// OpenBLAS's kernel sets for CPUs with AVX2 and FMA, lower-cased.
    static let coresWithAVX2: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator"]

    static func usable(features: VectorFeatures, core: String) -> Bool {
        features.avx2 && features.fma && coresWithAVX2.contains(core.lowercased())
    }

    /// The largest small dimension of each kind, from measurements: beyond these OpenBLAS is as
    /// fast or faster.
    static let largestNarrowWidth = 32
    static let largestShortSum = 128
    static let largestLongSumRows = 12

    /// In the report's run section.
    static var description: String {
        guard available else { return "OpenBLAS for every product" }
        switch lanes {
        case .eight: return "the engine's AVX2 kernels for narrow products and short sums"
        case .sixteen where sumsAsOpenBLAS:
            return "the engine's AVX-512 kernels for narrow products and short sums, and for products of \(largestBlockedWidth) columns or fewer, summed as OpenBLAS's SkylakeX kernels sum them"
        case .sixteen: return "the engine's AVX-512 kernels for narrow products and short sums"
        }
    }

    /// The kernels `multiply` chooses from.
    enum Kernel {
        /// Few terms (k ≤ `largestShortSum`), 16 columns or more.
        case shortSum
        /// Few columns (n ≤ `largestNarrowWidth`).
        case narrow
        /// Aᵀ · B with few rows (m ≤ `largestLongSumRows`): a kernel gradient's long sums.
        case longSum
        /// The rest of 64 columns or fewer, summed in OpenBLAS's blocks (`sumsAsOpenBLAS`).
        case blocked
    }

    /// The kernel `multiply` gives this shape to, or nil where OpenBLAS gets it: the one place
    /// that decides, so that code reproducing a kernel's sums (`sumBlock`) decides alike.
    static func kernel(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lanes: Lanes = lanes) -> Kernel? {
        guard available, m > 0, n > 0, k > 0 else { return nil }
        switch (transposeA, transposeB, lanes) {
        case (false, false, _) where k <= largestShortSum && n >= 16: return .shortSum
        case (false, _, _) where n <= largestNarrowWidth && k <= Int(small_products_narrow_largest_k): return .narrow
        case (true, false, _) where m <= largestLongSumRows: return .longSum
        case (_, false, .sixteen) where sumsAsOpenBLAS && n <= largestBlockedWidth && m * n * k > openBLASBlockedAbove: return .blocked
        default: return nil
        }
    }

    /// C = op(A) · op(B), row-major and contiguous, as `BLAS.gemmOnThisThread` without beta,
    /// when the shape suits one of the kernels; false, with C untouched, when it does not.
    @inline(__always)
    static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         lanes: Lanes = lanes) -> Bool {
        precondition(lanes.runsHere)
        guard let kernel = kernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lanes: lanes) else { return false }
        switch (kernel, lanes) {
        case (.shortSum, .eight): small_products_short_sum(m, n, k, a, b, c)
        case (.shortSum, .sixteen): small_products_short_sum_wide(m, n, k, a, b, c)
        case (.narrow, .eight): small_products_narrow(m, n, k, a, b, transposeB, c)
        case (.narrow, .sixteen): small_products_narrow_wide(m, n, k, a, b, transposeB, c)
        case (.longSum, .eight): small_products_long_sum(m, n, k, a, b, c)
        case (.longSum, .sixteen): small_products_long_sum_wide(m, n, k, a, b, c)
        // `kernel` gives no blocked kernel on eight lanes.
        case (.blocked, _): small_products_blocked_wide(transposeA, m, n, k, openBLASSumBlock, openBLASSumUnroll, a, b, c)
        }
        return true
    }

    /// How `multiply` (B as stored) sums this shape's elements, where a kernel takes it: in blocks
    /// of this many terms (cut as `small_products_blocked_wide` cuts them), each a chain of fused
    /// multiply-adds over its terms in order, from 0, the blocks' sums added in order. Every kernel
    /// but the blocked one sums all k terms in one chain (k is returned); nil where OpenBLAS gets
    /// the product. Products summed alike may be computed by other code with the same bits
    /// (`ReceptiveFields`).
    static func sumBlock(transposeA: Bool, m: Int, n: Int, k: Int, lanes: Lanes = lanes) -> Int? {
        switch kernel(transposeA: transposeA, transposeB: false, m: m, n: n, k: k, lanes: lanes) {
        case .shortSum, .narrow, .longSum: return k
        case .blocked: return openBLASSumBlock
        case nil: return nil
        }
    }

    /// A product and its col2im in one pass, without the cols between them, for one block of
    /// samples: each sample's image [inH, inW, channels] of `g` += col2im(its rows of
    /// a [positions, depth] · b [depth, patch]), through `targets`: added, or stored where a term is
    /// its pixel's first (`ScatterTargets.firstTerms`), in which case `images` need not be zeroed.
    /// A transposed convolution's forward pass (a = x, b = Wᵀ) and a convolution's input
    /// gradient (a = dy, b = Wᵀ) are such products.
    /// Call only where `scatters(geometry:depth:)` holds.
    static func scatterAdd(samples: Int, geometry g: ConvGeometry, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                           targets: ScatterTargets, images: UnsafeMutablePointer<Float>, lanes: Lanes = lanes) {
        precondition(scatters(geometry: g, depth: depth) && lanes.runsHere && targets.offsets.count == g.kh * g.kw * g.positions)
        let kernel = switch lanes {
        case .eight: small_products_scatter_add
        case .sixteen: small_products_scatter_add_wide
        }
        targets.offsets.withUnsafeBufferPointer { offsets in
            if let firstTerms = targets.firstTerms {
                firstTerms.withUnsafeBufferPointer { firstTerms in
                    kernel(samples, g.positions, g.patch, depth, a, b, g.channels, offsets.baseAddress!,
                           firstTerms.baseAddress!, images, g.inH * g.inW * g.channels)
                }
            } else {
                kernel(samples, g.positions, g.patch, depth, a, b, g.channels, offsets.baseAddress!,
                       nil, images, g.inH * g.inW * g.channels)
            }
        }
        BLAS.count(m: samples * g.positions, n: g.patch, k: depth)
    }

    /// Whether `scatterAdd` suits a layer: each tap's filters come in whole vectors of 16, and
    /// the sums are short. Decided once per pass, before its blocks.
    static func scatters(geometry g: ConvGeometry, depth: Int) -> Bool {
        available && g.channels % 16 == 0 && depth <= largestShortSum
    }
}
