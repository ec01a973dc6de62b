import Engine
import Randomness
import XCTest
@testable import Detection

/// The likelihood ratio against a background model, where the answer is known.
final class LikelihoodRatioTests: XCTestCase {
    private func vae(seed: UInt64) throws -> Model {
        try Model(Architecture(kind: .vae, inputShape: [6], encoder: [.dense(units: 8, activation: .tanh)], latent: 2,
                               decoder: [.dense(units: 8, activation: .tanh), .dense(units: 6, activation: .sigmoid)], loss: .bce), seed: seed)
    }

    private let images: [Float] = [0, 1, 1, 0, 0.5, 0.2, 1, 1, 1, 0, 0, 0, 0.3, 0.3, 0.9, 0.1, 0, 1]

    func testAModelAgainstItselfScoresZero() throws {
        let model = try vae(seed: 1)
        let input = ScoreInput(samples: images, count: 3, sampleSize: 6, model: model, seed: 4) { _ in model }
        let scored = try LikelihoodRatio(background: "itself", samples: 10).scores(input)
        XCTAssertEqual(scored.values, [0, 0, 0])
        XCTAssertEqual(scored.terms.map(\.name), ["−log p_θ(x) (nats)", "−log p_bg(x) (nats)", "S = −log p_θ + log p_bg"])
    }

    func testTheRatioIsTheDifferenceOfTheTwoNegativeELBOs() throws {
        let model = try vae(seed: 1), background = try vae(seed: 2)
        let input = ScoreInput(samples: images, count: 3, sampleSize: 6, model: model, seed: 4) { name in
            XCTAssertEqual(name, "bg")
            return background
        }
        let scored = try LikelihoodRatio(background: "bg", samples: 3).scores(input)
        var rng = RandomGenerator(seed: 4)
        let own = try ModelScore.elbo(samples: 3).scores(model: model, images, count: 3, rng: &rng)
        rng = RandomGenerator(seed: 4)
        let theirs = try ModelScore.elbo(samples: 3).scores(model: background, images, count: 3, rng: &rng)
        for n in 0..<3 { XCTAssertEqual(scored.values[n], own[n] - theirs[n], accuracy: 1e-9) }
        XCTAssertNotEqual(scored.values, [0, 0, 0])
    }

    func testTheBackgroundMustBeAVAE() throws {
        let model = try vae(seed: 1)
        let autoencoder = try Model(Architecture(kind: .autoencoder, inputShape: [6], encoder: [.dense(units: 2, activation: .relu)], latent: 2,
                                                 decoder: [.dense(units: 6, activation: .sigmoid)], loss: .bce), seed: 1)
        let input = ScoreInput(samples: images, count: 3, sampleSize: 6, model: model, seed: 4) { _ in autoencoder }
        XCTAssertThrowsError(try LikelihoodRatio(background: "ae", samples: 1).scores(input)) { error in
            XCTAssertTrue("\(error)".contains("must both be VAEs"), "\(error)")
        }
    }
}
