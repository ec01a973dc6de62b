/// Padding modes with Keras's output-size rules.
public enum Padding: String, Sendable { case same, valid }

/// The geometry of a 2-D convolution from a large image ("in") to a small one ("out"), shared by
/// `Conv2D` (which reads in and writes out) and `Conv2DTranspose` (which is its adjoint).
///
/// Layout: channels last. im2col turns one sample [inH, inW, channels] into a matrix
/// [outH·outW, kh·kw·channels] whose row is the receptive field of one output position, ordered
/// (ki, kj, c) to match Keras's kernel layout [kh, kw, channels, filters].
struct ConvGeometry: Equatable {
    var inH: Int, inW: Int, channels: Int
    var kh: Int, kw: Int
    var strideH: Int, strideW: Int
    var padTop: Int, padLeft: Int
    var outH: Int, outW: Int

    var patch: Int { kh * kw * channels }
    var positions: Int { outH * outW }

    /// Samples per block in the layers' blocked loops: a block's cols take about 256 KB, so the
    /// product that writes them and the loop that reads them meet in the cache.
    var samplesPerBlock: Int { max(1, (1 << 16) / max(positions * patch, 1)) }

    func blockCount(batch: Int) -> Int { Parallel.blockCount(batch, size: samplesPerBlock) }

    /// Floats of one block's cols [samplesPerBlock · positions, patch].
    var blockColsCount: Int { samplesPerBlock * positions * patch }

    /// Workers that run the blocks of a batch: each has one block's cols of scratch.
    func workers(batch: Int) -> Int { Parallel.workers(for: blockCount(batch: batch)) }

    /// Conv2D's rule: `same` gives ceil(in / stride); `valid` floor((in - k) / stride) + 1; for
    /// `same`, the padding is split with the extra row or column at the bottom/right (as TF does).
    static func convolution(inH: Int, inW: Int, channels: Int, kh: Int, kw: Int,
                            strideH: Int, strideW: Int, padding: Padding) throws -> ConvGeometry {
        func side(_ n: Int, _ k: Int, _ s: Int) throws -> (out: Int, pad: Int) {
            switch padding {
            case .same:
                let out = (n + s - 1) / s
                return (out, max((out - 1) * s + k - n, 0) / 2)
            case .valid:
                guard n >= k else { throw ArchitectureError("a \(k)-wide kernel with 'valid' padding does not fit an input \(n) wide") }
                return ((n - k) / s + 1, 0)
            }
        }
        let (outH, padTop) = try side(inH, kh, strideH)
        let (outW, padLeft) = try side(inW, kw, strideW)
        return ConvGeometry(inH: inH, inW: inW, channels: channels, kh: kh, kw: kw, strideH: strideH, strideW: strideW,
                            padTop: padTop, padLeft: padLeft, outH: outH, outW: outW)
    }

    /// Conv2DTranspose's rule (Keras, no output_padding): `same` gives in · stride; `valid`
    /// in · stride + max(k - stride, 0). The geometry returned runs from the transposed layer's
    /// output (large) to its input (small), with channels = the transposed layer's filters.
    static func transposed(inH: Int, inW: Int, filters: Int, kh: Int, kw: Int,
                           strideH: Int, strideW: Int, padding: Padding) -> ConvGeometry {
        func side(_ n: Int, _ k: Int, _ s: Int) -> (big: Int, pad: Int) {
            switch padding {
            case .same:
                let big = n * s
                return (big, max((n - 1) * s + k - big, 0) / 2)
            case .valid:
                return (n * s + max(k - s, 0), 0)
            }
        }
        let (bigH, padTop) = side(inH, kh, strideH)
        let (bigW, padLeft) = side(inW, kw, strideW)
        return ConvGeometry(inH: bigH, inW: bigW, channels: filters, kh: kh, kw: kw, strideH: strideH, strideW: strideW,
                            padTop: padTop, padLeft: padLeft, outH: inH, outW: inW)
    }

    /// The output columns ow whose tap kj lands inside the input, 0 ≤ ow·strideW − padLeft + kj < inW:
    /// a range within 0..<outW (empty, at its start or end, when none does).
    /// Worked out once per tap, so that the loops below copy a row without testing each position.
    func validColumns(kj: Int) -> Range<Int> {
        let offset = kj - padLeft
        // ceil(−offset / strideW) and floor((inW − 1 − offset) / strideW), for either sign.
        let first = min(outW, offset >= 0 ? 0 : (-offset + strideW - 1) / strideW)
        let last = inW - 1 - offset
        let end = min(outW, last < 0 ? 0 : last / strideW + 1)
        return first..<max(first, end)
    }

    /// cols[samples · positions, patch] ← the receptive fields of `samples` images
    /// [inH, inW, channels] one after the other; zeros outside. On eight lanes where the CPU has
    /// AVX2 (`VectorMathKernels.im2col`), else `im2colReference`: the same copies either way.
    func im2col(samples: Int, images: UnsafePointer<Float>, cols: UnsafeMutablePointer<Float>) {
        if VectorMathKernels.available { return VectorMathKernels.im2col(self, samples: samples, images: images, cols: cols) }
        for s in 0..<samples { im2colReference(images + s * inH * inW * channels, cols + s * positions * patch) }
    }

    /// cols[positions, patch] ← receptive fields of `image` [inH, inW, channels]; zeros outside.
    ///
    /// One tap at a time along a row of output positions: the bounds are worked out per tap,
    /// not per value, which matters most for one channel (a copy of one value per tap).
    func im2colReference(_ image: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        for oh in 0..<outH {
            let row = cols + oh * outW * patch
            for ki in 0..<kh {
                let ih = oh * strideH - padTop + ki
                for kj in 0..<kw {
                    let tap = row + (ki * kw + kj) * channels
                    let inside = ih >= 0 && ih < inH ? validColumns(kj: kj) : 0..<0
                    for ow in 0..<inside.lowerBound { clear(tap + ow * patch) }
                    for ow in inside.upperBound..<outW { clear(tap + ow * patch) }
                    guard !inside.isEmpty else { continue }
                    let source = image + (ih * inW + inside.lowerBound * strideW - padLeft + kj) * channels
                    let step = strideW * channels
                    if channels == 1 {
                        for (i, ow) in inside.enumerated() { tap[ow * patch] = source[i * step] }
                    } else {
                        for (i, ow) in inside.enumerated() {
                            let dst = tap + ow * patch, src = source + i * step
                            for c in 0..<channels { dst[c] = src[c] }
                        }
                    }
                }
            }
        }
    }

    /// images [samples, inH, inW, channels] = col2im(a [samples · positions, depth] · b [depth, patch]):
    /// a transposed convolution's forward pass (a = x, b = Wᵀ) and a convolution's input gradient
    /// (a = dy, b = Wᵀ). In one pass through `targets` where `scatters`
    /// (`SmallProductKernels.scatters`); else through `cols` [samples · positions, patch], which
    /// must then be given.
    func col2imOfProduct(samples: Int, a: UnsafePointer<Float>, depth: Int, b: UnsafePointer<Float>, scatters: Bool,
                         targets: ScatterTargets, cols: UnsafeMutablePointer<Float>?, images: UnsafeMutablePointer<Float>) {
        let imageSize = inH * inW * channels
        // The terms are added to zeros, except where the scatter kernel writes each pixel's first.
        if !scatters || targets.firstTerms == nil { images.update(repeating: 0, count: samples * imageSize) }
        if scatters {
            SmallProductKernels.scatterAdd(samples: samples, geometry: self, depth: depth, a: a, b: b, targets: targets, images: images)
            return
        }
        guard let cols else { preconditionFailure("col2imOfProduct needs cols where no kernel scatters") }
        BLAS.gemmOnThisThread(m: samples * positions, n: patch, k: depth, a: a, b: b, c: cols)
        for s in 0..<samples { col2imAdd(cols + s * positions * patch, images + s * imageSize) }
    }

    @inline(__always)
    private func clear(_ dst: UnsafeMutablePointer<Float>) {
        for c in 0..<channels { dst[c] = 0 }
    }

    /// image [inH, inW, channels] += the receptive fields in `cols`, summed where they overlap.
    ///
    /// Tap by tap along a row of output positions, as `im2col`. The taps of a row go right to
    /// left: an image value then receives its terms in the order of (oh, ow), as from a loop over
    /// positions and then taps, so the sums round the same way whatever the loop order.
    func col2imAdd(_ cols: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
        for oh in 0..<outH {
            let row = cols + oh * outW * patch
            for ki in 0..<kh {
                let ih = oh * strideH - padTop + ki
                guard ih >= 0, ih < inH else { continue }
                for kj in (0..<kw).reversed() {
                    let inside = validColumns(kj: kj)
                    guard !inside.isEmpty else { continue }
                    let tap = row + (ki * kw + kj) * channels
                    let target = image + (ih * inW + inside.lowerBound * strideW - padLeft + kj) * channels
                    let step = strideW * channels
                    if channels == 1 {
                        for (i, ow) in inside.enumerated() { target[i * step] += tap[ow * patch] }
                    } else {
                        for (i, ow) in inside.enumerated() {
                            let dst = target + i * step, src = tap + ow * patch
                            for c in 0..<channels { dst[c] += src[c] }
                        }
                    }
                }
            }
        }
    }
}
