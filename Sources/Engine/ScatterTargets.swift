/// Where the terms of a transposed convolution's product land in its output image, for the
/// kernel that scatters them as it multiplies (`SmallProductKernels.scatterAdd`). The same
/// table serves a convolution's input gradient, which is the same product.
///
/// Both tables are [kh · kw, positions], for one sample of `geometry` (the large image is the
/// one written):
///
///     offsets[t, i]    = the offset in floats of the pixel tap t of position i lands on, or −1
///     firstTerms[t, i] = 1 where that term is the first its pixel receives (taps go in order)
///
/// With `firstTerms`, the kernel stores a pixel's first term instead of adding it to a zeroed
/// image, and no pass zeroes the image beforehand. It stores 0 + term, which is what the
/// addition gave (−0 becomes +0), so the bits are the same either way.
///
/// ```swift
/// let targets = ScatterTargets(geometry)
/// if targets.firstTerms == nil { image.update(repeating: 0, count: imageSize) }
/// ```
struct ScatterTargets {
    let offsets: [Int]
    /// Nil when some pixel receives no term at all (a stride longer than the kernel): the image
    /// must then be zeroed first and every term added.
    let firstTerms: [UInt8]?

    init(_ g: ConvGeometry) {
        let taps = g.kh * g.kw
        var offsets = [Int](repeating: -1, count: taps * g.positions)
        var firstTerms = [UInt8](repeating: 0, count: taps * g.positions)
        var reached = [Bool](repeating: false, count: g.inH * g.inW)
        for ki in 0..<g.kh {
            for kj in 0..<g.kw {
                let tap = ki * g.kw + kj
                for oh in 0..<g.outH {
                    let ih = oh * g.strideH - g.padTop + ki
                    guard ih >= 0, ih < g.inH else { continue }
                    for ow in g.validColumns(kj: kj) {
                        let pixel = ih * g.inW + ow * g.strideW - g.padLeft + kj
                        let index = tap * g.positions + oh * g.outW + ow
                        offsets[index] = pixel * g.channels
                        if !reached[pixel] { firstTerms[index] = 1; reached[pixel] = true }
                    }
                }
            }
        }
        self.offsets = offsets
        self.firstTerms = reached.allSatisfy { $0 } ? firstTerms : nil
    }
}
