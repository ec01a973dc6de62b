import Randomness
import XCTest
@testable import Engine

/// Receptive fields read in place give the bits of im2col's cols and the product kernels that
/// read them: the layers take either path, block by block, and a model must train the same either way.
final class ReceptiveFieldsTests: XCTestCase {
    /// Strides, paddings and kernels of image models, one channel and several, with frames padded
    /// on one side, both, or not at all, and lines of positions that leave tiles of every length.
    private func geometries() throws -> [ConvGeometry] {
        var list: [ConvGeometry] = []
        for (h, w, c, k, s, padding) in [(28, 28, 1, 3, 2, Padding.same), (28, 28, 1, 3, 1, .same), (13, 9, 1, 3, 2, .same),
                                         (12, 30, 1, 3, 1, .valid), (7, 7, 1, 2, 1, .valid), (28, 28, 1, 1, 1, .same), (5, 25, 1, 3, 3, .same),
                                         (9, 17, 1, 3, 2, .valid), (14, 14, 32, 3, 2, .same), (9, 11, 16, 3, 1, .same), (8, 8, 3, 5, 2, .valid)] {
            list.append(try .convolution(inH: h, inW: w, channels: c, kh: k, kw: k, strideH: s, strideW: s, padding: padding))
        }
        // The transposed convolutions of decoders: their large side is the one with fields.
        list.append(.transposed(inH: 28, inW: 28, filters: 1, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: .same))
        list.append(.transposed(inH: 14, inW: 14, filters: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same))
        list.append(.transposed(inH: 9, inW: 11, filters: 1, kh: 3, kw: 2, strideH: 2, strideW: 1, padding: .valid))
        list.append(.transposed(inH: 14, inW: 14, filters: 32, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same))
        list.append(.transposed(inH: 7, inW: 7, filters: 64, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same))
        return list
    }

    private func mismatches(_ a: [Float], _ b: [Float]) -> Int {
        a.count == b.count ? zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count : max(a.count, b.count)
    }

    func testProductsFromTheFramesHaveTheBitsOfTheProductsOfTheCols() throws {
        var rng = RandomGenerator(seed: 11)
        var products = 0, gradients = 0
        for g in try geometries() {
            for n in [1, 2, 9, 16, 17, 32, 40, 64] {
                // One sample and a block of three: which kernel sums a product depends on its size.
                for samples in [1, 3] {
                    let fields = ReceptiveFields(g), rows = samples * g.positions
                    let images = (0..<(samples * g.inH * g.inW * g.channels)).map { _ in Float(rng.uniform(-1, 1)) }
                    let w = (0..<(g.patch * n)).map { _ in Float(rng.uniform(-1, 1)) }
                    let dy = (0..<(rows * n)).map { _ in Float(rng.uniform(-1, 1)) }
                    var cols = [Float](repeating: .nan, count: rows * g.patch)
                    images.withUnsafeBufferPointer { g.im2col(samples: samples, images: $0.baseAddress!, cols: &cols) }
                    // The frames start dirty, as a worker's scratch does.
                    var frames = [Float](repeating: .nan, count: samples * fields.frameSize)
                    images.withUnsafeBufferPointer { fields.pad(samples: samples, images: $0.baseAddress!, into: &frames) }

                    if let block = fields.productBlock(rows: rows, n: n) {
                        var expected = [Float](repeating: .nan, count: rows * n), product = expected
                        XCTAssertTrue(SmallProductKernels.multiply(transposeA: false, transposeB: false, m: rows, n: n, k: g.patch,
                                                                   a: cols, b: w, c: &expected))
                        product.withUnsafeMutableBufferPointer { out in
                            frames.withUnsafeBufferPointer { frames in
                                for s in 0..<samples {
                                    fields.product(frames.baseAddress! + s * fields.frameSize, b: w, n: n, block: block, c: out.baseAddress! + s * g.positions * n)
                                }
                            }
                        }
                        XCTAssertEqual(mismatches(product, expected), 0, "\(g) n \(n) samples \(samples): values of the product that differ")
                        products += 1
                    }
                    if fields.gradientSumsAsCols(rows: rows, n: n) {
                        var expected = [Float](repeating: .nan, count: g.patch * n), gradient = expected
                        XCTAssertTrue(SmallProductKernels.multiply(transposeA: true, transposeB: false, m: g.patch, n: n, k: rows,
                                                                   a: cols, b: dy, c: &expected))
                        fields.gradient(frames: samples, from: frames, b: dy, n: n, c: &gradient)
                        XCTAssertEqual(mismatches(gradient, expected), 0, "\(g) n \(n) samples \(samples): values of the kernel gradient that differ")
                        gradients += 1
                    }
                }
            }
        }
        if products + gradients == 0 { throw XCTSkip("this CPU has no AVX-512 F: the layers make cols") }
        XCTAssertGreaterThan(products, 100)
        XCTAssertGreaterThan(gradients, 100)
    }

    /// Where no kernel would sum the cols' product in one chain, the layers keep the cols.
    func testTheFramesAreUsedOnlyWhereTheySumAsTheColsProducts() throws {
        try XCTSkipUnless(ReceptiveFields.runsHere, "this CPU has no AVX-512 F")
        // 576 terms: OpenBLAS's blocked sum cuts them in two blocks, which the frames' product cuts alike.
        let deep = ConvGeometry.transposed(inH: 7, inW: 7, filters: 64, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same)
        XCTAssertEqual(ReceptiveFields(deep).productBlock(rows: 49, n: 64), SmallProductKernels.sumsAsOpenBLAS ? 448 : nil)
        // A product too small for the blocked kernel goes to OpenBLAS.
        let small = try ConvGeometry.convolution(inH: 14, inW: 14, channels: 32, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same)
        XCTAssertNil(ReceptiveFields(small).productBlock(rows: 49, n: 64), "49 × 64 × 288 multiply-adds")
        XCTAssertFalse(ReceptiveFields(small).gradientSumsAsCols(rows: 49, n: 64))
        // Nine taps of one channel: one chain, however many rows.
        let one = try ConvGeometry.convolution(inH: 28, inW: 28, channels: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same)
        XCTAssertEqual(ReceptiveFields(one).productBlock(rows: 196, n: 32), 9)
        XCTAssertTrue(ReceptiveFields(one).gradientSumsAsCols(rows: 196 * 37, n: 32))
    }
}
