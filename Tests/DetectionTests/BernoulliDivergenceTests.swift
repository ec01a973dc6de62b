import Engine
import Foundation
import XCTest
@testable import Detection

/// The Bernoulli KL on inputs whose answer is known by hand.
final class BernoulliDivergenceTests: XCTestCase {
    func testAPerfectReconstructionOfABinaryImageCostsNothing() {
        let x: [Float] = [0, 1, 1, 0, 1, 0, 0, 0]
        // Only the clipping of x̂ to [1e-7, 1 − 1e-7] is left: 1e-7 nats per pixel at most.
        XCTAssertEqual(BernoulliDivergence.divergence(x, x), 0, accuracy: 1e-6)
    }

    func testAPerfectReconstructionOfGreyPixelsCostsNothingThoughItsBCEDoesNot() {
        let x: [Float] = [0.5, 0.25, 0.9]
        let terms = BernoulliDivergence.terms(x[...], x[...])
        XCTAssertEqual(terms.divergence, 0, accuracy: 1e-12)
        let entropy = x.map { p in -Double(p) * log(Double(p)) - (1 - Double(p)) * log(1 - Double(p)) }.reduce(0, +)
        XCTAssertEqual(terms.crossEntropy, entropy, accuracy: 1e-9)
        XCTAssertEqual(terms.entropy, entropy, accuracy: 1e-12)
    }

    func testTheDivergenceIsTheCrossEntropyMinusTheEntropyOfTheInput() {
        let x: [Float] = [0, 0.3, 1, 0.7], y: [Float] = [0.2, 0.5, 0.6, 0.7]
        let terms = BernoulliDivergence.terms(x[...], y[...])
        XCTAssertEqual(terms.divergence, terms.crossEntropy - terms.entropy, accuracy: 1e-12)
        // By hand: KL(Bern(0) ‖ Bern(0.2)) = −log 0.8, and so on per pixel.
        let kl = -log(0.8) + (0.3 * log(0.3 / 0.5) + 0.7 * log(0.7 / 0.5)) - log(0.6) + 0
        XCTAssertEqual(terms.divergence, kl, accuracy: 1e-6)
    }

    /// A decoder whose weights are all 0 gives x̂ = sigmoid(0) = ½ everywhere: each binary pixel
    /// costs KL(Bern(x) ‖ Bern(½)) = log 2.
    func testAModelThatReconstructsOneHalfCostsLog2PerBinaryPixel() throws {
        let model = try Model(Architecture(kind: .autoencoder, inputShape: [4], encoder: [.dense(units: 2, activation: .relu)], latent: 2,
                                           decoder: [.dense(units: 4, activation: .sigmoid)], loss: .bce), seed: 1)
        for parameter in model.parameters { parameter.value.fill(0) }
        let x: [Float] = [0, 1, 1, 0, 1, 1, 1, 1]
        let scored = try BernoulliDivergence().scores(ScoreInput(samples: x, count: 2, sampleSize: 4, model: model, seed: 1))
        XCTAssertEqual(scored.values[0], 4 * log(2), accuracy: 1e-5)
        XCTAssertEqual(scored.values[1], 4 * log(2), accuracy: 1e-5)
        XCTAssertEqual(scored.terms.map(\.name), ["BCE (nats)", "Σ H(x) (nats)", "KL = BCE − Σ H(x)"])
    }

    func testValuesOutsideTheUnitIntervalAreRefused() throws {
        let model = try Model(Architecture(kind: .autoencoder, inputShape: [2], encoder: [.dense(units: 2, activation: .relu)], latent: 2,
                                           decoder: [.dense(units: 2, activation: .sigmoid)], loss: .bce), seed: 1)
        XCTAssertThrowsError(try BernoulliDivergence().scores(ScoreInput(samples: [0.5, -1.2], count: 1, sampleSize: 2, model: model, seed: 1)))
    }
}
