import Randomness
import XCTest
@testable import Engine

/// The one-filter transposed convolution's forward pass with the positions on the lanes gives the
/// bits of the narrow product and col2im, the path it replaces where it runs.
final class OneFilterForwardTests: XCTestCase {
    func testItHasTheBitsOfTheProductAndCol2im() throws {
        var rng = RandomGenerator(seed: 12)
        var checked = 0
        // Decoders' last layers (3 × 3 onto 28 × 28, 7 × 7, 5 × 5), odd sizes that leave partial
        // vectors of pixels and of positions, depths below, at and above 16, and 'valid' padding.
        let shapes: [(h: Int, w: Int, k: (Int, Int), padding: Padding, depth: Int)] = [
            (28, 28, (3, 3), .same, 32), (28, 28, (3, 3), .same, 64), (14, 14, (7, 7), .same, 16), (9, 13, (5, 5), .same, 3),
            (7, 19, (3, 2), .valid, 17), (3, 3, (4, 4), .valid, 1), (17, 33, (1, 1), .same, 40), (28, 28, (3, 3), .same, 200), (28, 28, (3, 3), .same, 300),
        ]
        for s in shapes {
            let g = ConvGeometry.transposed(inH: s.h, inW: s.w, filters: 1, kh: s.k.0, kw: s.k.1, strideH: 1, strideW: 1, padding: s.padding)
            let taps = g.kh * g.kw, samples = 2, forward = OneFilterForward(g, depth: s.depth)
            guard OneFilterForward.runs(g), forward.sumsAsProduct(rows: samples * g.positions) else { continue }
            let x = (0..<(samples * g.positions * s.depth)).map { _ in Float(rng.uniform(-1, 1)) }
            // Some exact zeros and negative zeros, whose sums' signs col2im's additions decide.
            let w = (0..<(taps * s.depth)).map { i in i % 7 == 0 ? (i % 2 == 0 ? 0 : -0.0) : Float(rng.uniform(-1, 1)) }
            var wt = [Float](repeating: 0, count: w.count)
            BLAS.transpose(w, rows: taps, columns: s.depth, into: &wt)

            var expected = [Float](repeating: .nan, count: samples * g.inH * g.inW)
            var cols = [Float](repeating: .nan, count: samples * g.positions * taps)
            g.col2imOfProduct(samples: samples, a: x, depth: s.depth, b: wt, scatters: false, targets: ScatterTargets(g), cols: &cols,
                              images: &expected)

            var scratch = [Float](repeating: .nan, count: forward.scratchCount)
            var image = [Float](repeating: .nan, count: samples * g.inH * g.inW)
            image.withUnsafeMutableBufferPointer { out in
                x.withUnsafeBufferPointer { x in
                    for sample in 0..<samples {
                        forward.run(x.baseAddress! + sample * g.positions * s.depth, kernel: w, scratch: &scratch,
                                    image: out.baseAddress! + sample * g.inH * g.inW)
                    }
                }
            }
            let mismatches = zip(image, expected).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(mismatches, 0, "\(s): pixels that differ")
            checked += 1
        }
        if checked == 0 { throw XCTSkip("this CPU has no AVX-512 F: the layer takes the product and col2im") }
        XCTAssertGreaterThanOrEqual(checked, 8)
    }

    func testItRunsOnlyWithOneFilterAndStrideOneWhereTheProductSumsAsItDoes() throws {
        let two = ConvGeometry.transposed(inH: 14, inW: 14, filters: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same)
        XCTAssertFalse(OneFilterForward.runs(two), "stride 2")
        let filters = ConvGeometry.transposed(inH: 28, inW: 28, filters: 2, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: .same)
        XCTAssertFalse(OneFilterForward.runs(filters), "two filters")
        let one = ConvGeometry.transposed(inH: 28, inW: 28, filters: 1, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: .same)
        try XCTSkipUnless(OneFilterForward.runs(one), "this CPU has no AVX-512 F")
        XCTAssertTrue(OneFilterForward(one, depth: 32).sumsAsProduct(rows: 784))
        XCTAssertTrue(OneFilterForward(one, depth: 300).sumsAsProduct(rows: 784), "300 terms: one of OpenBLAS's blocks")
        XCTAssertFalse(OneFilterForward(one, depth: 500).sumsAsProduct(rows: 784), "500 terms: two blocks")
    }
}
