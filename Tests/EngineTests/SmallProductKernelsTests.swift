import Randomness
import XCTest
@testable import Engine

/// The engine's own kernels for products with a small dimension, against the plain triple loop
/// in double precision, and against themselves on parts of a product.
final class SmallProductKernelsTests: XCTestCase {
    /// C = op(A) · op(B) by the definition, in double precision.
    private func reference(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
                sum += Double(transposeA ? a[p * m + i] : a[i * k + p]) * Double(transposeB ? b[j * k + p] : b[p * n + j])
            }
            c[i * n + j] = sum
        } }
        return c
    }

    private func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float],
                          lanes: SmallProductKernels.Lanes = SmallProductKernels.lanes) -> [Float]? {
        var c = [Float](repeating: .nan, count: m * n)
        let ran = c.withUnsafeMutableBufferPointer { cp in
            SmallProductKernels.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, c: cp.baseAddress!, lanes: lanes)
        }
        return ran ? c : nil
    }

    /// Every kind, with sizes that leave partial vectors and tiles at each end.
    private let shapes: [(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int)] = [
        (false, true, 7056, 9, 32), (false, true, 37, 25, 13), (false, true, 5, 1, 1), (false, true, 19, 32, 256), (false, true, 4, 17, 3),
        (false, false, 7056, 32, 9), (false, false, 13, 37, 25), (false, false, 3, 16, 1), (false, false, 21, 64, 64), (false, false, 6, 23, 7),
        (true, false, 9, 32, 7056), (true, false, 12, 37, 129), (true, false, 1, 1, 1), (true, false, 5, 9, 300), (true, false, 11, 3, 128),
    ]

    func testTheKernelsComputeTheProduct() throws {
        try XCTSkipUnless(SmallProductKernels.available, "this CPU has no AVX2 and FMA: every product goes to OpenBLAS")
        var rng = RandomGenerator(seed: 7)
        for s in shapes {
            let a = (0..<(s.m * s.k)).map { _ in Float(rng.uniform(-1, 1)) }, b = (0..<(s.k * s.n)).map { _ in Float(rng.uniform(-1, 1)) }
            let c = try XCTUnwrap(multiply(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a, b), "\(s) goes to a kernel")
            let expected = reference(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a, b)
            // Float32 sums of k terms of size ≤ 1: each rounding at most 2⁻²⁴ of a partial sum ≤ k.
            let tolerance = Double(s.k) * Double(s.k) * 0x1p-24 + 1e-6
            let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, tolerance, "\(s)")
        }
    }

    /// A block of rows (or columns) of a product, computed alone, has the bits of the same block
    /// of the whole: the layers split products by samples, and a result must not depend on how.
    func testAPartOfAProductHasTheBitsOfTheWhole() throws {
        try XCTSkipUnless(SmallProductKernels.available, "this CPU has no AVX2 and FMA")
        var rng = RandomGenerator(seed: 8)
        for s in shapes where s.m > 3 && s.n > 3 {
            let a = (0..<(s.m * s.k)).map { _ in Float(rng.uniform(-1, 1)) }, b = (0..<(s.k * s.n)).map { _ in Float(rng.uniform(-1, 1)) }
            let whole = try XCTUnwrap(multiply(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a, b))
            if s.transposeA {
                // The long sums: rows 1..<m-1 of C from columns 1..<m-1 of A.
                let rows = 1..<(s.m - 1)
                let part = (0..<s.k).flatMap { p in rows.map { a[p * s.m + $0] } }
                let c = try XCTUnwrap(multiply(transposeA: true, transposeB: false, m: rows.count, n: s.n, k: s.k, part, b))
                XCTAssertEqual(c, Array(whole[(rows.lowerBound * s.n)..<(rows.upperBound * s.n)]), "\(s)")
            } else {
                // Rows 3..<m of C from rows 3..<m of A, as the blocks of samples do.
                let c = try XCTUnwrap(multiply(transposeA: false, transposeB: s.transposeB, m: s.m - 3, n: s.n, k: s.k, Array(a[(3 * s.k)...]), b))
                XCTAssertEqual(c, Array(whole[(3 * s.n)...]), "\(s)")
            }
        }
    }

    /// The sixteen-lane build gives the bits of the eight-lane one, so a machine with AVX-512
    /// trains the same model as one with AVX2 only: on every shape above, and on every width and
    /// row count up to two tiles either way, so that each remainder tile is met.
    func testSixteenLanesGiveTheBitsOfEight() throws {
        try XCTSkipUnless(SmallProductKernels.available && VectorFeatures.detected.avx512f, "this CPU has no AVX-512 F")
        var rng = RandomGenerator(seed: 9)
        var cases = shapes
        for m in 1...25 { for n in [1, 5, 9, 15, 16, 17, 31, 32, 33, 47, 64] {
            cases.append((false, false, m, max(n, 16), 1 + (m * n) % 70))
            cases.append((false, m % 2 == 0, m, min(n, 32), 1 + (m + n) % 40))
            cases.append((true, false, min(m, 12), n, 1 + (m * 37 + n) % 300))
        } }
        for s in cases {
            let a = (0..<(s.m * s.k)).map { _ in Float(rng.uniform(-1, 1)) }, b = (0..<(s.k * s.n)).map { _ in Float(rng.uniform(-1, 1)) }
            let eight = try XCTUnwrap(multiply(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a, b, lanes: .eight), "\(s)")
            let sixteen = try XCTUnwrap(multiply(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a, b, lanes: .sixteen), "\(s)")
            XCTAssertEqual(eight.map(\.bitPattern), sixteen.map(\.bitPattern), "\(s)")
        }
    }

    /// The scattering product, on both builds, for the strides, paddings and filter counts of
    /// image decoders (16, 32, 48 and 64 filters: one- and two-vector tiles), and positions that
    /// leave every remainder of a tile's rows.
    func testTheScatterGivesTheSameBitsOnSixteenLanes() throws {
        try XCTSkipUnless(SmallProductKernels.available && VectorFeatures.detected.avx512f, "this CPU has no AVX-512 F")
        var rng = RandomGenerator(seed: 10)
        let geometries: [ConvGeometry] = [
            .transposed(inH: 7, inW: 7, filters: 64, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same),
            .transposed(inH: 14, inW: 14, filters: 32, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: .same),
            .transposed(inH: 5, inW: 3, filters: 48, kh: 3, kw: 2, strideH: 1, strideW: 2, padding: .valid),
            .transposed(inH: 4, inW: 6, filters: 16, kh: 1, kw: 1, strideH: 3, strideW: 3, padding: .valid),
            .transposed(inH: 13, inW: 1, filters: 32, kh: 5, kw: 1, strideH: 1, strideW: 1, padding: .same),
        ]
        for g in geometries {
            let depth = 1 + g.positions % 40, samples = 3
            XCTAssertTrue(SmallProductKernels.scatters(geometry: g, depth: depth), "\(g)")
            let a = (0..<(samples * g.positions * depth)).map { _ in Float(rng.uniform(-1, 1)) }
            let b = (0..<(depth * g.patch)).map { _ in Float(rng.uniform(-1, 1)) }
            let targets = ScatterTargets(g)
            func scatter(_ lanes: SmallProductKernels.Lanes) -> [UInt32] {
                var images = [Float](repeating: targets.firstTerms == nil ? 0 : .nan, count: samples * g.inH * g.inW * g.channels)
                images.withUnsafeMutableBufferPointer { images in
                    SmallProductKernels.scatterAdd(samples: samples, geometry: g, depth: depth, a: a, b: b, targets: targets,
                                                   images: images.baseAddress!, lanes: lanes)
                }
                return images.map(\.bitPattern)
            }
            let eight = scatter(.eight)
            XCTAssertFalse(eight.contains(Float.nan.bitPattern), "every pixel written: \(g)")
            XCTAssertEqual(eight, scatter(.sixteen), "\(g)")
        }
    }

    /// Where OpenBLAS runs its `SkylakeX` kernels, a product it would run that goes to the
    /// engine's blocked kernel instead gives OpenBLAS's bits: the convolutions' shapes, sums cut
    /// into two near halves and into three blocks, and row counts that leave every remainder.
    func testBlockedProductsGiveOpenBLASsBits() throws {
        try XCTSkipUnless(SmallProductKernels.sumsAsOpenBLAS, "OpenBLAS runs no SkylakeX kernels here")
        var rng = RandomGenerator(seed: 11)
        let cases: [(transposeA: Bool, m: Int, n: Int, k: Int)] = [
            (true, 288, 64, 196), (true, 576, 64, 98), (false, 196, 64, 288), (false, 98, 64, 576),
            (false, 40, 64, 1000), (true, 20, 60, 1500), (false, 33, 17, 2000), (true, 13, 64, 1300),
            (false, 131, 47, 449), (true, 251, 33, 130), (false, 1000, 40, 30),
        ]
        for s in cases {
            XCTAssertLessThan(s.m * s.n * s.k, BLAS.minimumBlockWork, "one OpenBLAS call: \(s)")
            let a = (0..<(s.m * s.k)).map { _ in Float(rng.uniform(-1, 1)) }, b = (0..<(s.k * s.n)).map { _ in Float(rng.uniform(-1, 1)) }
            var expected = [Float](repeating: 0, count: s.m * s.n)
            expected.withUnsafeMutableBufferPointer { BLAS.gemm(transposeA: s.transposeA, m: s.m, n: s.n, k: s.k, a: a, b: b, c: $0.baseAddress!) }
            let c = try XCTUnwrap(multiply(transposeA: s.transposeA, transposeB: false, m: s.m, n: s.n, k: s.k, a, b), "\(s) goes to a kernel")
            XCTAssertEqual(c.map(\.bitPattern), expected.map(\.bitPattern), "\(s)")
        }
        // At or below OpenBLAS's bound its small-matrix kernels sum another way: those stay with it.
        XCTAssertNil(multiply(transposeA: false, transposeB: false, m: 64, n: 64, k: 200, [Float](repeating: 1, count: 64 * 200),
                              [Float](repeating: 1, count: 200 * 64)))
    }

    /// The blocked kernel stands in for OpenBLAS only where its sums were checked: OpenBLAS
    /// 0.3.21 running `SkylakeX`, on a CPU with sixteen lanes.
    func testTheBlockedKernelStandsInOnlyForTheOpenBLASItCopies() {
        let checked = "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"
        XCTAssertTrue(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "SkylakeX", configuration: checked))
        XCTAssertTrue(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "SKYLAKEX", configuration: checked))
        XCTAssertFalse(SmallProductKernels.sumAsOpenBLAS(lanes: .eight, core: "SkylakeX", configuration: checked))
        XCTAssertFalse(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "Haswell", configuration: checked))
        XCTAssertFalse(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "Cooperlake", configuration: checked))
        XCTAssertFalse(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "SkylakeX",
                                                         configuration: "OpenBLAS 0.3.29 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"))
        XCTAssertFalse(SmallProductKernels.sumAsOpenBLAS(lanes: .sixteen, core: "SkylakeX", configuration: "OpenBLAS 0.3.210"))
    }

    /// They run only where OpenBLAS runs kernels for an AVX2 CPU: with `OPENBLAS_CORETYPE` naming
    /// older kernels, a report must have the bits of a machine with those kernels.
    func testTheyRunWithKernelsForAVX2Only() {
        let avx2 = VectorFeatures(avx: true, fma: true, avx2: true)
        XCTAssertTrue(SmallProductKernels.usable(features: avx2, core: "Haswell"))
        XCTAssertTrue(SmallProductKernels.usable(features: avx2, core: "SKYLAKEX"))
        XCTAssertFalse(SmallProductKernels.usable(features: avx2, core: "Sandybridge"))
        XCTAssertFalse(SmallProductKernels.usable(features: avx2, core: "Prescott"))
        XCTAssertFalse(SmallProductKernels.usable(features: VectorFeatures(avx: true, fma: false, avx2: true), core: "Haswell"))
        XCTAssertFalse(SmallProductKernels.usable(features: VectorFeatures(), core: "Haswell"))
    }

    func testLargeShapesAndAccumulationGoToOpenBLAS() {
        let one = [Float](repeating: 1, count: 300 * 300)
        var c = [Float](repeating: 0, count: 300 * 300)
        c.withUnsafeMutableBufferPointer { cp in
            XCTAssertFalse(SmallProductKernels.multiply(transposeA: false, transposeB: false, m: 300, n: 300, k: 300, a: one, b: one, c: cp.baseAddress!))
            XCTAssertFalse(SmallProductKernels.multiply(transposeA: true, transposeB: true, m: 9, n: 9, k: 9, a: one, b: one, c: cp.baseAddress!))
            XCTAssertFalse(SmallProductKernels.multiply(transposeA: false, transposeB: true, m: 10, n: 10, k: 0, a: one, b: one, c: cp.baseAddress!))
        }
        XCTAssertEqual(c, [Float](repeating: 0, count: 300 * 300), "C untouched when the kernels decline")
    }
}
