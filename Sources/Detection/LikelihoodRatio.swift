import Engine
import Randomness

/// The likelihood ratio of Ren et al. (NeurIPS 2019, "Likelihood Ratios for Out-of-Distribution
/// Detection"), with the negated ELBO standing in for −log p:
///
///     S(x) = −[log p_θ(x) − log p_bg(x)] ≈ (−ELBO_θ(x)) − (−ELBO_bg(x)),
///
/// in nats. p_bg is a background model: the same architecture trained on the same data with a
/// fraction μ of its pixels replaced by uniform noise (`noise uniform MU`, μ around 0.1–0.3). The
/// noise destroys the shapes that make an image a shirt or a trouser but keeps the statistics
/// every image shares (how many pixels are dark, how smooth the background is), so the background
/// model learns only those. The ratio cancels them and keeps what is specific to the normal data.
/// Both ELBOs are estimated from `samples` draws of z with the same noise ε (common random
/// numbers), so a model compared with itself scores exactly 0, and the Monte-Carlo error of the
/// difference is smaller than that of either term.
///
/// ```swift
/// let ratio = LikelihoodRatio(background: "vae_bg", samples: 5)
/// ratio.samples   // 5
/// ```
public struct LikelihoodRatio: SampleScorer {
    /// The name of the background model, resolved through `ScoreInput.modelNamed`.
    public var background: String
    /// Draws of z per image for each ELBO.
    public var samples: Int

    public init(background: String, samples: Int) {
        self.background = background
        self.samples = samples
    }

    public func scores(_ input: ScoreInput) throws -> ScoredSamples {
        let model = try input.requireModel(for: "likelihood-ratio")
        let backgroundModel = try input.modelNamed(background)
        guard model.architecture.kind == .vae, backgroundModel.architecture.kind == .vae else {
            throw DetectionError("likelihood-ratio compares two ELBOs, so the model and the background model '\(background)' must both be VAEs")
        }
        let negativeLog = try Self.negativeELBO(model, input, samples: samples)
        let negativeLogBackground = try Self.negativeELBO(backgroundModel, input, samples: samples)
        let ratio = zip(negativeLog, negativeLogBackground).map { $0 - $1 }
        return ScoredSamples(values: ratio, terms: [.init(name: "−log p_θ(x) (nats)", values: negativeLog),
                                                    .init(name: "−log p_bg(x) (nats)", values: negativeLogBackground),
                                                    .init(name: "S = −log p_θ + log p_bg", values: ratio)])
    }

    /// −ELBO, every model's draws seeded alike.
    private static func negativeELBO(_ model: Model, _ input: ScoreInput, samples: Int) throws -> [Double] {
        var rng = RandomGenerator(seed: input.seed)
        return try ModelScore.elbo(samples: samples).scores(model: model, input.samples, count: input.count, rng: &rng)
    }
}
