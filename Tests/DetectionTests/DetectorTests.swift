import Engine
import Randomness
import XCTest
@testable import Detection

/// Every detector on data where the right answer is known: a Gaussian cluster, and far outliers.
final class DetectorTests: XCTestCase {
    /// `count` rows of `d` values from N(0, 1), shifted by `shift` in every coordinate.
    private func gaussian(_ count: Int, d: Int, shift: Float = 0, rng: inout RandomGenerator) -> [Float] {
        (0..<(count * d)).map { _ in Float(rng.normal()) + shift }
    }

    private func auc(_ scores: [Double], normal: Int, anomalies: Int) throws -> Double {
        try ROCCurve(scores: scores, anomalies: Array(repeating: false, count: normal) + Array(repeating: true, count: anomalies)).auc
    }

    func testEveryBaselineFindsFarOutliers() throws {
        var rng = RandomGenerator(seed: 1)
        let d = 6
        let train = gaussian(400, d: d, rng: &rng)
        let test = gaussian(200, d: d, rng: &rng) + gaussian(20, d: d, shift: 6, rng: &rng)
        // (PCA by variance fraction is tested on a subspace below: on isotropic data it keeps every
        // component and reconstructs everything exactly.)
        let baselines: [Baseline] = [.pca(components: 2), .gaussian, .multivariateGaussian,
                                     .isolationForest(trees: 100, subsample: 256), .kde(bandwidth: nil), .kde(bandwidth: 1)]
        for baseline in baselines {
            let detector = try baseline.fit(train, count: 400, d: d, seed: 3)
            let scores = detector.score(test, count: 220)
            XCTAssertGreaterThan(try auc(scores, normal: 200, anomalies: 20), 0.99, "\(baseline)")
        }
    }

    func testPCAFindsTheSubspaceAndScoresDistanceFromIt() throws {
        // Points on the plane spanned by two directions in 5-D, plus a little noise.
        var rng = RandomGenerator(seed: 2)
        var train: [Float] = []
        for _ in 0..<300 {
            let a = Float(rng.normal()) * 3, b = Float(rng.normal()) * 2
            train += [a, b, a + b, a - b, 0].map { $0 + Float(rng.normal()) * 0.01 }
        }
        let pca = try PCADetector(train, count: 300, d: 5, components: 0.99)
        XCTAssertEqual(pca.componentCount, 2)
        let onPlane: [Float] = [1, 1, 2, 0, 0], offPlane: [Float] = [1, 1, 2, 0, 3]
        let scores = pca.score(onPlane + offPlane, count: 2)
        XCTAssertLessThan(scores[0], 0.01)
        XCTAssertEqual(scores[1], 9, accuracy: 0.05, "the squared distance from the plane")
    }

    func testCovarianceInBlocksOfRowsEqualsTheDefinition() {
        var rng = RandomGenerator(seed: 9)
        let count = 50, d = 3
        let x = gaussian(count, d: d, shift: 2, rng: &rng)
        let mean = SampleStatistics.mean(x, count: count, d: d)
        var direct = [Double](repeating: 0, count: d * d)
        for n in 0..<count {
            for i in 0..<d { for j in 0..<d { direct[i * d + j] += (Double(x[n * d + i]) - mean[i]) * (Double(x[n * d + j]) - mean[j]) / Double(count) } }
        }
        for rows in [1, 7, 50, 64] {
            let blocked = SampleStatistics.covariance(x, count: count, d: d, mean: mean, rowsPerBlock: rows)
            for (a, b) in zip(blocked, direct) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(rows) rows per block") }
        }
    }

    func testGaussianScoreIsTheNegativeLogDensity() throws {
        let detector = GaussianDetector([0, 0, 2, 2], count: 2, d: 2)   // rows (0, 0), (2, 2): means 1, variances 1
        let score = detector.score([1, 1], count: 1)[0]
        XCTAssertEqual(score, log(2 * Double.pi), accuracy: 1e-12, "−log N(μ; μ, 1) summed over two features")
        let mvn = try MultivariateGaussianDetector([0, 0, 2, 2, 0, 2, 2, 0], count: 4, d: 2)
        XCTAssertLessThan(mvn.score([1, 1], count: 1)[0], mvn.score([3, 3], count: 1)[0])
    }

    func testIsolationForestPathLengthNormaliser() {
        XCTAssertEqual(IsolationForest.averagePathLength(1), 0)
        XCTAssertEqual(IsolationForest.averagePathLength(2), 1)
        XCTAssertEqual(IsolationForest.averagePathLength(256), 10.244770920116851, accuracy: 1e-9)
    }

    // MARK: - Model scores

    /// A small VAE trained on 8×8 images of one bright bar; the anomalies are random noise.
    private func trainedVAE() throws -> (Model, normal: [Float], anomalies: [Float]) {
        var rng = RandomGenerator(seed: 5)
        func bars(_ count: Int) -> [Float] {
            var x = [Float]()
            for _ in 0..<count {
                let row = rng.index(below: 8)
                x += (0..<64).map { $0 / 8 == row ? 0.95 : 0.05 }
            }
            return x
        }
        let train = bars(256), normal = bars(50)
        let anomalies = (0..<(50 * 64)).map { _ in Float(rng.uniform()) }
        let architecture = Architecture(kind: .vae, inputShape: [8, 8, 1], encoder: [.dense(units: 32, activation: .tanh)], latent: 2,
                                        decoder: [.dense(units: 32, activation: .tanh), .dense(units: 64, activation: .sigmoid)], loss: .bce)
        let model = try Model(architecture, seed: 1)
        _ = try train.withUnsafeBufferPointer {
            try Trainer.fit(model, data: SampleMatrix(values: $0.baseAddress!, count: 256, sampleSize: 64),
                            config: TrainingConfig(epochs: 60, batchSize: 32, optimizer: .adam(learningRate: 0.01), seed: 2))
        }
        return (model, normal, anomalies)
    }

    func testEveryModelScoreSeparatesNoiseFromBars() throws {
        let (model, normal, anomalies) = try trainedVAE()
        let test = normal + anomalies
        let methods: [ModelScore] = [.reconstructionError(.mse), .reconstructionError(.sse), .reconstructionError(.rmse), .reconstructionError(.bce),
                                     .reconstructionError(.sse, sampled: true),
                                     .reconstructionProbability(samples: 1), .reconstructionProbability(samples: 20),
                                     .anCho(samples: 10), .elbo(samples: 1), .elbo(samples: 10), .iwae(samples: 10)]
        for method in methods {
            var rng = RandomGenerator(seed: 9)
            let scores = try method.scores(model: model, test, count: 100, fit: normal, fitCount: 50, rng: &rng)
            XCTAssertEqual(scores.count, 100)
            XCTAssertGreaterThan(try auc(scores, normal: 50, anomalies: 50), 0.95, "\(method)")
        }
    }

    /// With an identity encoder, the latent distance is the Mahalanobis distance of the input.
    func testLatentMahalanobisWithAKnownEncoder() throws {
        let model = try Model(Architecture(kind: .autoencoder, inputShape: [2], encoder: [.dense(units: 2, activation: .linear)], latent: 2,
                                           decoder: [.dense(units: 2, activation: .linear)], loss: .mse), seed: 1)
        let kernel = model.parameters[0], bias = model.parameters[1]
        for i in 0..<4 { kernel.value[i] = i == 0 || i == 3 ? 1 : 0 }
        bias.value.fill(0)
        // Fit data: (±2, 0) and (0, ±1): mean 0, variances 2 and 0.5, no correlation.
        let fit: [Float] = [2, 0, -2, 0, 0, 1, 0, -1]
        var rng = RandomGenerator(seed: 1)
        let scores = try ModelScore.latentMahalanobis.scores(model: model, [2, 0, 0, 2], count: 2, fit: fit, fitCount: 4, rng: &rng)
        XCTAssertEqual(scores[0], (4 / 2.000001).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(scores[1], (4 / 0.500001).squareRoot(), accuracy: 1e-5)

        var data = RandomGenerator(seed: 4)
        let train = gaussian(300, d: 2, rng: &data)
        let test = gaussian(100, d: 2, rng: &data) + gaussian(10, d: 2, shift: 6, rng: &data)
        let found = try ModelScore.latentMahalanobis.scores(model: model, test, count: 110, fit: train, fitCount: 300, rng: &rng)
        XCTAssertGreaterThan(try auc(found, normal: 100, anomalies: 10), 0.99)
    }

    func testImportanceWeightingTightensTheBound() throws {
        let (model, normal, _) = try trainedVAE()
        var a = RandomGenerator(seed: 1), b = RandomGenerator(seed: 1)
        let elbo = try ModelScore.elbo(samples: 50).scores(model: model, normal, count: 50, rng: &a)
        let iwae = try ModelScore.iwae(samples: 50).scores(model: model, normal, count: 50, rng: &b)
        // −log p(x) ≤ −IWAE₅₀ ≤ −ELBO on average: the importance-weighted score is the smaller.
        XCTAssertLessThan(iwae.reduce(0, +) / 50, elbo.reduce(0, +) / 50)
    }

    func testVAEScoresRefuseAnAutoencoder() throws {
        let ae = try Model(Architecture(kind: .autoencoder, inputShape: [4], encoder: [.dense(units: 2, activation: .relu)], latent: 2,
                                        decoder: [.dense(units: 4, activation: .sigmoid)], loss: .mse), seed: 1)
        var rng = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try ModelScore.elbo(samples: 1).scores(model: ae, [0, 0, 0, 0], count: 1, rng: &rng)) {
            XCTAssertEqual("\($0)", "this score needs a VAE; the model is an autoencoder")
        }
        XCTAssertEqual(try ModelScore.reconstructionError(.sse).scores(model: ae, [0, 0, 0, 0], count: 1, rng: &rng).count, 1)
        XCTAssertThrowsError(try ModelScore.reconstructionError(.sse, sampled: true).scores(model: ae, [0, 0, 0, 0], count: 1, rng: &rng))
    }

    /// One z drawn from q(z|x) gives a noisier error than the mean, reproducibly for a seed.
    func testSampledReconstructionErrorDrawsZ() throws {
        let (model, normal, _) = try trainedVAE()
        var a = RandomGenerator(seed: 3), b = RandomGenerator(seed: 3), c = RandomGenerator(seed: 4)
        let mean = try ModelScore.reconstructionError(.sse).scores(model: model, normal, count: 50, rng: &a)
        let sampled = try ModelScore.reconstructionError(.sse, sampled: true).scores(model: model, normal, count: 50, rng: &b)
        var again = RandomGenerator(seed: 3)
        XCTAssertEqual(try ModelScore.reconstructionError(.sse, sampled: true).scores(model: model, normal, count: 50, rng: &again), sampled)
        XCTAssertNotEqual(try ModelScore.reconstructionError(.sse, sampled: true).scores(model: model, normal, count: 50, rng: &c), sampled)
        XCTAssertNotEqual(mean, sampled)
        // Decoding a point away from the mean reconstructs worse on average.
        XCTAssertGreaterThan(sampled.reduce(0, +), mean.reduce(0, +))
    }
}
