import Randomness
import XCTest
@testable import Engine

/// `ConvGeometry.im2col` (the Swift loops and the eight-lane kernel) and `col2imAdd` work a tap at a time along rows of positions; these are
/// the plain loops over positions and then taps, with a bounds test per value, that they replace.
/// The copies must match exactly, and the sums bit for bit (the same terms in the same order).
final class Im2colTests: XCTestCase {
    private func plainIm2col(_ g: ConvGeometry, _ image: [Float]) -> [Float] {
        var cols = [Float](repeating: .nan, count: g.positions * g.patch)
        var i = 0
        for oh in 0..<g.outH { for ow in 0..<g.outW { for ki in 0..<g.kh { for kj in 0..<g.kw {
            let ih = oh * g.strideH - g.padTop + ki, iw = ow * g.strideW - g.padLeft + kj
            for c in 0..<g.channels {
                let inside = ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW
                cols[i] = inside ? image[(ih * g.inW + iw) * g.channels + c] : 0
                i += 1
            }
        } } } }
        return cols
    }

    private func plainCol2imAdd(_ g: ConvGeometry, _ cols: [Float], onto start: [Float]) -> [Float] {
        var image = start
        var i = 0
        for oh in 0..<g.outH { for ow in 0..<g.outW { for ki in 0..<g.kh { for kj in 0..<g.kw {
            let ih = oh * g.strideH - g.padTop + ki, iw = ow * g.strideW - g.padLeft + kj
            for c in 0..<g.channels {
                if ih >= 0, ih < g.inH, iw >= 0, iw < g.inW { image[(ih * g.inW + iw) * g.channels + c] += cols[i] }
                i += 1
            }
        } } } }
        return image
    }

    /// Every kernel, stride and padding on small and odd sizes, with 1, 2, 3, 8 and 17 channels:
    /// kernels larger than the image, strides larger than the kernel, rows with no tap inside.
    private var geometries: [ConvGeometry] {
        var all: [ConvGeometry] = []
        for (inH, inW) in [(1, 1), (1, 5), (4, 1), (5, 7), (8, 8), (9, 6)] {
            for (kh, kw) in [(1, 1), (3, 3), (2, 5), (7, 7), (4, 1)] {
                for (sh, sw) in [(1, 1), (2, 2), (3, 1), (2, 4)] {
                    for channels in [1, 2, 3, 8, 17] {
                        if let g = try? ConvGeometry.convolution(inH: inH, inW: inW, channels: channels, kh: kh, kw: kw,
                                                                  strideH: sh, strideW: sw, padding: .valid) { all.append(g) }
                        all.append(try! ConvGeometry.convolution(inH: inH, inW: inW, channels: channels, kh: kh, kw: kw,
                                                                  strideH: sh, strideW: sw, padding: .same))
                        all.append(ConvGeometry.transposed(inH: inH, inW: inW, filters: channels, kh: kh, kw: kw,
                                                           strideH: sh, strideW: sw, padding: .same))
                        all.append(ConvGeometry.transposed(inH: inH, inW: inW, filters: channels, kh: kh, kw: kw,
                                                           strideH: sh, strideW: sw, padding: .valid))
                    }
                }
            }
        }
        return all
    }

    func testIm2colAndCol2imMatchThePlainLoopsBitForBit() {
        var rng = RandomGenerator(seed: 11)
        let all = geometries
        XCTAssertGreaterThan(all.count, 1000)
        XCTAssertTrue(all.contains { $0.padTop > 0 && $0.outW == 1 }, "a padded geometry one position wide")
        for g in all {
            let image = (0..<(g.inH * g.inW * g.channels)).map { _ in Float(rng.normal()) }
            let cols = (0..<(g.positions * g.patch)).map { _ in Float(rng.normal()) }
            let expectedCols = plainIm2col(g, image).map(\.bitPattern)
            var actualCols = [Float](repeating: .nan, count: cols.count)
            image.withUnsafeBufferPointer { i in actualCols.withUnsafeMutableBufferPointer { g.im2colReference(i.baseAddress!, $0.baseAddress!) } }
            XCTAssertEqual(actualCols.map(\.bitPattern), expectedCols, "im2col \(g)")
            // The engine's path (eight lanes where the CPU has AVX2), on two samples at once.
            let twoImages = image + image.map { -$0 }
            var twoCols = [Float](repeating: .nan, count: 2 * cols.count)
            twoImages.withUnsafeBufferPointer { i in twoCols.withUnsafeMutableBufferPointer { g.im2col(samples: 2, images: i.baseAddress!, cols: $0.baseAddress!) } }
            XCTAssertEqual(twoCols.map(\.bitPattern), expectedCols + plainIm2col(g, image.map { -$0 }).map(\.bitPattern), "im2col of two samples \(g)")

            var actualImage = image
            cols.withUnsafeBufferPointer { c in actualImage.withUnsafeMutableBufferPointer { g.col2imAdd(c.baseAddress!, $0.baseAddress!) } }
            XCTAssertEqual(actualImage.map(\.bitPattern), plainCol2imAdd(g, cols, onto: image).map(\.bitPattern), "col2im \(g)")
        }
    }
}
