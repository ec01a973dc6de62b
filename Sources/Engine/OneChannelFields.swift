import SmallProducts

/// The receptive fields of a one-channel image (the input of an encoder's first convolution, the
/// output gradient of a decoder's last transposed convolution), read where they lie instead of
/// copied into im2col's cols: each sample's image is copied once into a zero-padded frame, in
/// which every tap of every position is a value of the image or a padding zero, and the two
/// products that would read the cols read the frame.
///
/// The cols of one channel are a copy of one value per tap and position, which took longer than
/// the products they fed. The products here sum each element exactly as
/// `SmallProductKernels` sums the product of the cols (the frame holds the same values and the
/// same zeros), so the bits do not change; they run where those products would run on sixteen
/// lanes, and `isUsable` says so.
///
/// ```swift
/// let fields = OneChannelFields(geometry)     // geometry.channels == 1
/// fields.pad(samples: 2, images: x, into: frames)
/// fields.product(frames, b: kernel, n: 32, c: y)                  // y = im2col(x) · W
/// fields.gradient(samples: 2, frames: frames, b: dy, n: 32, c: dW) // dW = im2col(x)ᵀ · dy
/// ```
struct OneChannelFields {
    let geometry: ConvGeometry
    /// The frame: the image at (padTop, padLeft) in `frameHeight` rows of `pitch` values.
    let pitch: Int
    let frameHeight: Int
    /// Offset of each tap (ki, kj) in the frame from its position's corner, in the cols' order.
    let deltas: [Int]

    var frameSize: Int { frameHeight * pitch }

    init(_ g: ConvGeometry) {
        precondition(g.channels == 1, "OneChannelFields reads images of one channel")
        geometry = g
        // The last position's last tap: (outH − 1) · strideH + kh − 1 rows down from the frame's top.
        frameHeight = max(g.inH + g.padTop, (g.outH - 1) * g.strideH + g.kh)
        pitch = max(g.inW + g.padLeft, (g.outW - 1) * g.strideW + g.kw)
        var deltas: [Int] = []
        for ki in 0..<g.kh { for kj in 0..<g.kw { deltas.append(ki * pitch + kj) } }
        self.deltas = deltas
    }

    /// Whether the products run here for a product `n` columns wide: sixteen lanes, and a shape
    /// `SmallProductKernels.multiply` would give to a kernel that sums as these do (so that the
    /// bits are those of the cols' product wherever this path is taken or not).
    static func isUsable(_ g: ConvGeometry, columns n: Int) -> Bool {
        guard g.channels == 1, SmallProductKernels.available, SmallProductKernels.lanes == .sixteen, n > 0 else { return false }
        let taps = g.kh * g.kw
        let product = (taps <= SmallProductKernels.largestShortSum && n >= 16)
            || (n <= SmallProductKernels.largestNarrowWidth && taps <= Int(small_products_narrow_largest_k))
        return product && taps <= SmallProductKernels.largestLongSumRows
    }

    /// frames [samples, frameSize] ← images [samples, inH, inW], zeros around each.
    func pad(samples: Int, images: UnsafePointer<Float>, into frames: UnsafeMutablePointer<Float>) {
        let g = geometry
        frames.update(repeating: 0, count: samples * frameSize)
        for s in 0..<samples {
            let image = images + s * g.inH * g.inW, frame = frames + s * frameSize + g.padTop * pitch + g.padLeft
            for row in 0..<g.inH { (frame + row * pitch).update(from: image + row * g.inW, count: g.inW) }
        }
    }

    /// c [positions, n] = cols(frame) [positions, taps] · b [taps, n], for one frame.
    func product(_ frame: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>) {
        withDescription { small_products_fields_product_wide($0, frame, n, b, c) }
        BLAS.count(m: geometry.positions, n: n, k: deltas.count)
    }

    /// c [taps, n] = cols(frames)ᵀ · b [samples · positions, n], over `samples` frames.
    func gradient(samples: Int, frames: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>) {
        withDescription { small_products_fields_gradient_wide($0, samples, frameSize, frames, n, b, c) }
        BLAS.count(m: deltas.count, n: n, k: samples * geometry.positions)
    }

    private func withDescription(_ body: (UnsafePointer<small_products_fields>) -> Void) {
        let g = geometry
        deltas.withUnsafeBufferPointer { deltas in
            var fields = small_products_fields(out_h: g.outH, out_w: g.outW, stride_h: g.strideH, stride_w: g.strideW,
                                               pitch: pitch, taps: deltas.count, deltas: deltas.baseAddress)
            withUnsafePointer(to: &fields) { body($0) }
        }
    }
}
