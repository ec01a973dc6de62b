import SmallProducts

/// The forward pass of a transposed convolution with one filter and stride 1 (the last layer of
/// an image decoder), with the positions on the lanes: the product that `Conv2DTranspose` would
/// hand to the narrow kernel has as many columns as taps (9 of 16 lanes), and its col2im onto one
/// channel moves a value at a time. Here each sample's input is transposed in registers, the taps'
/// sums run over 16 positions at once, and each pixel adds its taps' values from those rows.
///
/// The bits are those of the narrow product and col2im (`small_products_one_filter_forward_wide`
/// states the order of each sum), so a model trains the same whichever path a CPU takes;
/// `runs` and `sumsAsProduct` say where this one runs.
///
/// ```swift
/// let forward = OneFilterForward(geometry, depth: 32)          // Conv2DTranspose(1, 3), stride 1
/// forward.run(x, kernel: w, scratch: scratch, image: y)         // one sample
/// ```
struct OneFilterForward {
    private let shape: small_products_one_filter
    /// Floats of scratch one sample needs: the input transposed, and the taps' rows.
    let scratchCount: Int

    init(_ g: ConvGeometry, depth: Int) {
        shape = small_products_one_filter(out_h: g.outH, out_w: g.outW, in_h: g.inH, in_w: g.inW, kh: g.kh, kw: g.kw,
                                          pad_top: g.padTop, pad_left: g.padLeft, depth: depth)
        scratchCount = (depth + g.kh * g.kw) * ((g.positions + 15) / 16 * 16)
    }

    /// Whether this layer's pass can run here: one filter, stride 1, sixteen lanes.
    static func runs(_ g: ConvGeometry) -> Bool {
        g.channels == 1 && g.strideH == 1 && g.strideW == 1 && SmallProductKernels.available && SmallProductKernels.lanes == .sixteen
    }

    /// Whether the product of a block of `rows` positions, x [rows, depth] · Wᵀ [depth, taps], would
    /// be summed as this pass sums it: by a kernel, in one chain over the depth.
    func sumsAsProduct(rows: Int) -> Bool {
        let depth = shape.depth, taps = shape.kh * shape.kw
        guard let block = SmallProductKernels.sumBlock(transposeA: false, m: rows, n: taps, k: depth) else { return false }
        return block >= depth
    }

    /// image [inH, inW] = col2im(x [positions, depth] · kernel [taps, depth]ᵀ), for one sample.
    func run(_ x: UnsafePointer<Float>, kernel: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, image: UnsafeMutablePointer<Float>) {
        withUnsafePointer(to: shape) { small_products_one_filter_forward_wide($0, x, kernel, scratch, image) }
        BLAS.count(m: shape.out_h * shape.out_w, n: shape.kh * shape.kw, k: shape.depth)
    }
}
