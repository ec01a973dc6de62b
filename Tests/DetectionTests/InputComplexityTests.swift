import Engine
import Foundation
import Randomness
import XCTest
@testable import Detection

/// The input-complexity correction: the compressed length, and S = −log₂ p − L.
final class InputComplexityTests: XCTestCase {
    func testAConstantImageIsFarSimplerThanNoise() {
        var rng = RandomGenerator(seed: 3)
        let constant = [Float](repeating: 0.4, count: 784)
        let noise = (0..<784).map { _ in Float(rng.uniform()) }
        let simple = InputComplexity.compressedBits(constant), complex = InputComplexity.compressedBits(noise)
        // Uniform bytes do not compress: at least 784 bytes come out.
        XCTAssertGreaterThanOrEqual(complex, 784 * 8)
        XCTAssertLessThan(simple, complex / 20)
    }

    func testTheLengthOfABlackImageIsZlibsStream() {
        // zlib's level-9 stream of 784 zero bytes, as Python's zlib.compress(bytes(784), 9) gives it:
        // 2 bytes of header, 10 of deflate, 4 of Adler-32.
        XCTAssertEqual(InputComplexity.compressedBits([Float](repeating: 0, count: 784)), 128)
    }

    func testValuesAreWrittenAsBytesAfterClipping() {
        // −3 and 0 both become byte 0; 2 and 1 both become 255.
        XCTAssertEqual(InputComplexity.compressedBits([-3, 2, 0.5] as [Float]), InputComplexity.compressedBits([0, 1, 0.5] as [Float]))
    }

    func testTheScoreIsTheNegatedELBOInBitsMinusTheLength() throws {
        let model = try Model(Architecture(kind: .vae, inputShape: [16], encoder: [.dense(units: 8, activation: .tanh)], latent: 2,
                                           decoder: [.dense(units: 16, activation: .sigmoid)], loss: .bce), seed: 1)
        var rng = RandomGenerator(seed: 5)
        let images = (0..<(3 * 16)).map { i in i < 16 ? 0 : Float(rng.uniform()) }
        let scored = try InputComplexity(samples: 4).scores(ScoreInput(samples: images, count: 3, sampleSize: 16, model: model, seed: 8))
        var draws = RandomGenerator(seed: 8)
        let nats = try ModelScore.elbo(samples: 4).scores(model: model, images, count: 3, rng: &draws)
        XCTAssertEqual(scored.terms.map(\.name), ["−log₂ p(x) (bits)", "L(x) (bits)", "S = −log₂ p(x) − L(x)"])
        for n in 0..<3 {
            let length = InputComplexity.compressedBits(images[(n * 16)..<((n + 1) * 16)])
            XCTAssertEqual(scored.terms[0].values[n], nats[n] / log(2), accuracy: 1e-9)
            XCTAssertEqual(scored.terms[1].values[n], length)
            XCTAssertEqual(scored.values[n], nats[n] / log(2) - length, accuracy: 1e-9)
        }
        XCTAssertLessThan(scored.terms[1].values[0], scored.terms[1].values[1])
    }
}
