import SmallProducts

/// The receptive fields of a convolution's large side, read where they lie instead of copied
/// into im2col's cols: each sample's image (with its channels) is copied once into a zero-padded
/// frame, in which every term of every position's field is a value of the image or a padding
/// zero, and the two products that would read the cols read the frame.
///
/// The cols repeat each value up to kh · kw times (2.25 times at stride 2 and 3 × 3 taps; one
/// value per copy for one channel): writing and reading them took longer than some of the products
/// they fed. The products here sum each element exactly as the kernel that `SmallProductKernels`
/// would give the cols' product sums it (one chain over the terms in order, from 0; the frame holds
/// the same values and the same zeros), so the bits do not change. They run only where that holds,
/// on sixteen lanes: `productBlock` and `gradientSumsAsCols` say so for each block.
///
/// ```swift
/// let fields = ReceptiveFields(geometry)
/// fields.pad(samples: 2, images: x, into: frames)
/// fields.product(frames, b: kernel, n: 32, block: 288, c: y)       // y = im2col(x) · W
/// fields.gradient(frames: 2, from: frames, b: dy, n: 32, c: dW)     // dW = im2col(x)ᵀ · dy
/// ```
struct ReceptiveFields {
    let geometry: ConvGeometry
    /// The frame: the image at (padTop, padLeft) in `frameHeight` rows of `pitch` pixels.
    let pitch: Int
    let frameHeight: Int
    /// Offset of each term (tap ki, kj; channel c) in the frame from its position's corner, in the cols' order.
    let deltas: [Int]

    var frameSize: Int { frameHeight * pitch * geometry.channels }

    init(_ g: ConvGeometry) {
        geometry = g
        // The last position's last tap: (outH − 1) · strideH + kh − 1 rows down from the frame's top.
        frameHeight = max(g.inH + g.padTop, (g.outH - 1) * g.strideH + g.kh)
        pitch = max(g.inW + g.padLeft, (g.outW - 1) * g.strideW + g.kw)
        var deltas: [Int] = []
        deltas.reserveCapacity(g.patch)
        for ki in 0..<g.kh { for kj in 0..<g.kw { for c in 0..<g.channels { deltas.append((ki * pitch + kj) * g.channels + c) } } }
        self.deltas = deltas
    }

    /// The kernels are written for sixteen lanes.
    static var runsHere: Bool { SmallProductKernels.available && SmallProductKernels.lanes == .sixteen }

    /// The block `product` takes to sum cols [rows, patch] · B [patch, n] as `multiply` would; nil
    /// where these kernels cannot.
    func productBlock(rows: Int, n: Int) -> Int? {
        Self.runsHere ? SmallProductKernels.sumBlock(transposeA: false, m: rows, n: n, k: geometry.patch) : nil
    }

    /// Whether colsᵀ · B [rows, n] would be summed as `gradient` sums it: in one chain.
    func gradientSumsAsCols(rows: Int, n: Int) -> Bool {
        guard Self.runsHere, let block = SmallProductKernels.sumBlock(transposeA: true, m: geometry.patch, n: n, k: rows) else { return false }
        return block >= rows
    }

    /// frames [samples, frameSize] ← images [samples, inH, inW, channels], zeros around each.
    func pad(samples: Int, images: UnsafePointer<Float>, into frames: UnsafeMutablePointer<Float>) {
        pad(samples: samples, images: images, into: frames) { source, destination, count, _ in destination.update(from: source, count: count) }
    }

    /// The same with each row of an image put in its frame by `row(source, destination, count, offset)`,
    /// `offset` the row's place in `images`: a transposed convolution's backward pass writes
    /// dy · f' there, in the rows' order.
    func pad(samples: Int, images: UnsafePointer<Float>, into frames: UnsafeMutablePointer<Float>,
             row: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) {
        let g = geometry, c = g.channels, length = g.inW * c
        for s in 0..<samples {
            let frame = frames + s * frameSize
            frame.update(repeating: 0, count: g.padTop * pitch * c)
            for ih in 0..<g.inH {
                let line = frame + (g.padTop + ih) * pitch * c, offset = (s * g.inH + ih) * length
                line.update(repeating: 0, count: g.padLeft * c)
                row(images + offset, line + g.padLeft * c, length, offset)
                (line + g.padLeft * c + length).update(repeating: 0, count: (pitch - g.padLeft - g.inW) * c)
            }
            let below = g.padTop + g.inH
            (frame + below * pitch * c).update(repeating: 0, count: (frameHeight - below) * pitch * c)
        }
    }

    /// c [positions, n] = cols(frame) [positions, patch] · b [patch, n], for one frame, summed in
    /// blocks of `block` terms (`productBlock`).
    func product(_ frame: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int, block: Int, c: UnsafeMutablePointer<Float>) {
        withDescription { small_products_fields_product_wide($0, frame, n, b, block, SmallProductKernels.openBLASSumUnroll, c) }
        BLAS.count(m: geometry.positions, n: n, k: deltas.count)
    }

    /// c [patch, n] = cols(frames)ᵀ · b [count · positions, n], over `count` frames.
    func gradient(frames count: Int, from frames: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>) {
        withDescription { small_products_fields_gradient_wide($0, count, frameSize, frames, n, b, c) }
        BLAS.count(m: deltas.count, n: n, k: count * geometry.positions)
    }

    private func withDescription(_ body: (UnsafePointer<small_products_fields>) -> Void) {
        let g = geometry
        deltas.withUnsafeBufferPointer { deltas in
            var fields = small_products_fields(out_h: g.outH, out_w: g.outW, line_step: g.strideH * pitch * g.channels,
                                               position_step: g.strideW * g.channels, terms: deltas.count, deltas: deltas.baseAddress)
            withUnsafePointer(to: &fields) { body($0) }
        }
    }
}
