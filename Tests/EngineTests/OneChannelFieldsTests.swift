import Randomness
import XCTest
@testable import Engine

/// One-channel receptive fields read in place give the bits of im2col's cols and the product
/// kernels that read them: the layers take either path, and a model must train the same either way.
final class OneChannelFieldsTests: XCTestCase {
    /// Strides, paddings and kernels of image models, with frames padded on one side, both, or
    /// not at all, and lines of positions that leave tiles of every length.
    private func geometries() throws -> [ConvGeometry] {
        var list: [ConvGeometry] = []
        for (h, w, k, s, padding) in [(28, 28, 3, 2, Padding.same), (28, 28, 3, 1, .same), (13, 9, 3, 2, .same), (12, 30, 3, 1, .valid),
                                      (7, 7, 2, 1, .valid), (28, 28, 1, 1, .same), (5, 25, 3, 3, .same), (9, 17, 3, 2, .valid)] {
            list.append(try .convolution(inH: h, inW: w, channels: 1, kh: k, kw: k, strideH: s, strideW: s, padding: padding))
        }
        // The last layer of a decoder: Conv2DTranspose(1, 3, strides 1 and 2) onto 28 × 28.
        list.append(.transposed(inH: 28, inW: 28, filters: 1, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: .same))
        list.append(.transposed(inH: 14, inW: 14, filters: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same))
        list.append(.transposed(inH: 9, inW: 11, filters: 1, kh: 3, kw: 2, strideH: 2, strideW: 1, padding: .valid))
        return list
    }

    private func mismatches(_ a: [Float], _ b: [Float]) -> Int {
        a.count == b.count ? zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count : max(a.count, b.count)
    }

    func testProductsFromTheFramesHaveTheBitsOfTheProductsOfTheCols() throws {
        var rng = RandomGenerator(seed: 11)
        var checked = 0
        for g in try geometries() {
            for n in [1, 2, 9, 16, 17, 32, 40, 64] where OneChannelFields.isUsable(g, columns: n) {
                let samples = 3, taps = g.kh * g.kw, fields = OneChannelFields(g)
                let images = (0..<(samples * g.inH * g.inW)).map { _ in Float(rng.uniform(-1, 1)) }
                let w = (0..<(taps * n)).map { _ in Float(rng.uniform(-1, 1)) }
                let dy = (0..<(samples * g.positions * n)).map { _ in Float(rng.uniform(-1, 1)) }

                // The cols' way.
                var cols = [Float](repeating: .nan, count: samples * g.positions * taps)
                images.withUnsafeBufferPointer { g.im2col(samples: samples, images: $0.baseAddress!, cols: &cols) }
                var expectedProduct = [Float](repeating: .nan, count: samples * g.positions * n)
                var expectedGradient = [Float](repeating: .nan, count: taps * n)
                XCTAssertTrue(SmallProductKernels.multiply(transposeA: false, transposeB: false, m: samples * g.positions, n: n, k: taps,
                                                           a: cols, b: w, c: &expectedProduct), "\(g) n \(n)")
                XCTAssertTrue(SmallProductKernels.multiply(transposeA: true, transposeB: false, m: taps, n: n, k: samples * g.positions,
                                                           a: cols, b: dy, c: &expectedGradient), "\(g) n \(n)")

                // The frames' way; the frames start dirty, as a worker's scratch does.
                var frames = [Float](repeating: .nan, count: samples * fields.frameSize)
                images.withUnsafeBufferPointer { fields.pad(samples: samples, images: $0.baseAddress!, into: &frames) }
                var product = [Float](repeating: .nan, count: samples * g.positions * n)
                var gradient = [Float](repeating: .nan, count: taps * n)
                product.withUnsafeMutableBufferPointer { out in
                    for s in 0..<samples {
                        fields.product(frames.withUnsafeBufferPointer { $0.baseAddress! } + s * fields.frameSize, b: w, n: n,
                                       c: out.baseAddress! + s * g.positions * n)
                    }
                }
                fields.gradient(samples: samples, frames: frames, b: dy, n: n, c: &gradient)

                XCTAssertEqual(mismatches(product, expectedProduct), 0, "\(g) n \(n): values of the product that differ")
                XCTAssertEqual(mismatches(gradient, expectedGradient), 0, "\(g) n \(n): values of the kernel gradient that differ")
                checked += 1
            }
        }
        if checked == 0 { throw XCTSkip("this CPU has no AVX-512 F: the layers make cols") }
        XCTAssertGreaterThan(checked, 50)
    }

    /// Where the products would not run on a kernel summing as these do, the layers keep the cols.
    func testTheFramesAreUsedOnlyWhereTheySumAsTheColsProducts() throws {
        let g = try ConvGeometry.convolution(inH: 28, inW: 28, channels: 1, kh: 5, kw: 5, strideH: 1, strideW: 1, padding: .same)
        XCTAssertFalse(OneChannelFields.isUsable(g, columns: 32), "25 taps: the kernel gradient is not a long sum on 12 rows")
        let three = try ConvGeometry.convolution(inH: 28, inW: 28, channels: 3, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: .same)
        XCTAssertFalse(OneChannelFields.isUsable(three, columns: 32), "three channels")
        let one = try ConvGeometry.convolution(inH: 28, inW: 28, channels: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same)
        XCTAssertEqual(OneChannelFields.isUsable(one, columns: 32), SmallProductKernels.available && SmallProductKernels.lanes == .sixteen)
    }
}
