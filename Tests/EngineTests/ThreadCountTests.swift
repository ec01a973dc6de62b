import Randomness
import XCTest
@testable import Engine

/// Results must not depend on the thread count (SWIFT_LAB_THREADS): graders compare reports made
/// on machines with different numbers of cores.
final class ThreadCountTests: XCTestCase {
    private func train(_ architecture: Architecture, threads: Int) throws -> [[Float]] {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        Engine.threads = threads
        var rng = RandomGenerator(seed: 5)
        let count = 256
        let data = (0..<(count * architecture.inputSize)).map { _ in Float(rng.index(below: 1000)) / 1000 }
        let model = try Model(architecture, seed: 9)
        _ = try data.withUnsafeBufferPointer {
            try Trainer.fit(model, data: SampleMatrix(values: $0.baseAddress!, count: count, sampleSize: architecture.inputSize),
                            config: TrainingConfig(epochs: 1, batchSize: 128, seed: 2))
        }
        return model.parameters.map(\.value.array)
    }

    func testTrainingGivesTheSameWeightsWhateverTheThreadCount() throws {
        for (name, architecture) in [("conv VAE", ReferenceArchitectures.convVAE), ("conv AE", ReferenceArchitectures.convAE),
                                     ("MLP VAE", ReferenceArchitectures.mlpVAE)] {
            let one = try train(architecture, threads: 1)
            XCTAssertEqual(try train(architecture, threads: 2), one, name)
            XCTAssertEqual(try train(architecture, threads: 3), one, name)
        }
    }

    func testLargeProductsAreCutIntoBlocksByShapeAlone() {
        XCTAssertEqual(BLAS.blockCount(m: 8, n: 8, k: 8), 1)
        XCTAssertGreaterThan(BLAS.blockCount(m: 128, n: 400, k: 784), 1, "the MLP VAE's first layer is split")
        // Two threads share an even count evenly: the dense autoencoder's 784-wide product (12.8 M
        // multiply-adds, three blocks' worth) goes in four; an odd count only where the shape
        // allows no more blocks of the least span. Its 256-row product goes in two, not four:
        // each block packs the whole shared operand again.
        XCTAssertEqual(BLAS.blockCount(m: 256, n: 784, k: 64), 4)
        XCTAssertEqual(BLAS.blockCount(m: 256, n: 64, k: 784), 2)
        XCTAssertEqual(BLAS.blockCount(m: 100, n: 512, k: 784), 4, "the MLP VAE's 512-wide products")
        XCTAssertEqual(BLAS.blockCount(m: 384, n: 16, k: 1 << 20), 3, "three spans of 128 rows")
        XCTAssertEqual(BLAS.blockCount(m: 127, n: 127, k: 1 << 20), 1, "less than one span")
        for m in stride(from: 16, through: 1024, by: 48) {
            for n in [16, 64, 400, 784] {
                for k in [64, 256, 784] {
                    let count = BLAS.blockCount(m: m, n: n, k: k), most = min(BLAS.maximumBlocks, max(m, n) / BLAS.minimumBlockSpan)
                    XCTAssertTrue(count == 1 || count % 2 == 0 || count == most, "\(count) blocks for \(m)×\(n)×\(k)")
                    XCTAssertTrue(count == 1 || max(m, n) / count >= BLAS.minimumBlockSpan, "\(count) blocks for \(m)×\(n)×\(k)")
                }
            }
        }
        // A split product equals the same product in one piece, and the plain triple loop to rounding.
        var rng = RandomGenerator(seed: 1)
        let m = 300, n = 70, k = 800
        let a = (0..<(k * m)).map { _ in Float(rng.normal()) }, b = (0..<(n * k)).map { _ in Float(rng.normal()) }
        var c = [Float](repeating: 0, count: m * n)
        XCTAssertGreaterThan(BLAS.blockCount(m: m, n: n, k: k), 1)
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            BLAS.gemm(transposeA: true, transposeB: true, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
        } } }
        for i in stride(from: 0, to: m, by: 37) {
            for j in stride(from: 0, to: n, by: 13) {
                var sum: Double = 0
                for p in 0..<k { sum += Double(a[p * m + i]) * Double(b[j * k + p]) }
                XCTAssertEqual(Double(c[i * n + j]), sum, accuracy: 1e-3, "c[\(i), \(j)]")
            }
        }
    }
}
