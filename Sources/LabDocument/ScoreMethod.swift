/// How a `score` step scores samples: the vocabulary of its `method:` key, and the one
/// declaration of each method. The schema's list of methods and the keys they read, which need a
/// model, a VAE or data to fit on, and what the report says each score means are all read from
/// here; the interpreter maps each case to its implementation in `Detection` (`Runner`'s
/// `ScoreMethod.scorer`). Adding a method is one case here (the switches are exhaustive, so the
/// compiler lists every place, that mapping included) and its implementation in `Detection`.
///
/// ```swift
/// ScoreMethod(rawValue: "elbo")?.needsVAE          // true
/// ScoreMethod.pca.isBaseline                       // true
/// ScoreMethod.pca.needs                            // ["fit"]
/// ```
public enum ScoreMethod: String, Sendable, CaseIterable {
    case reconstructionError = "reconstruction-error"
    case reconstructionProbability = "reconstruction-probability"
    case anCho = "an-cho"
    case elbo
    case iwae
    case latentMahalanobis = "latent-mahalanobis"
    case bernoulliKL = "bernoulli-kl"
    case likelihoodRatio = "likelihood-ratio"
    case inputComplexity = "input-complexity"
    case pca
    case gaussian
    case multivariateGaussian = "multivariate-gaussian"
    case isolationForest = "isolation-forest"
    case kde

    /// The keys only some methods read, in the order the reference lists them (between `data`
    /// and `threshold`).
    public static let keys: [KeySpec] = [
        KeySpec("error", .choice(["mse", "sse", "rmse", "bce"]), .optional(default: "mse"), "Per-sample error of `reconstruction-error`."),
        KeySpec("z", .choice(["mean", "sample"]), .optional(default: "mean"),
                "`reconstruction-error` with a VAE: decode the mean of q(z|x), or one z drawn from it (noisier; what Keras's `encoder(x)[2]` gives)."),
        KeySpec("samples", .integer(min: 1, max: 10_000), .optional(default: "1"), "Samples of z per image, for the VAE scores."),
        KeySpec("background", .reference(.model), .optional(default: nil), "`likelihood-ratio`: the background model, a VAE trained on the same data perturbed by `noise uniform MU`."),
        KeySpec("components", .number(min: 0, minInclusive: false, max: nil, maxInclusive: true), .optional(default: "0.95"), "PCA: a whole number of components, or the fraction of variance to keep."),
        KeySpec("trees", .integer(min: 1, max: 10_000), .optional(default: "100"), "Isolation Forest: number of trees."),
        KeySpec("subsample", .integer(min: 2, max: nil), .optional(default: "256"), "Isolation Forest: samples per tree."),
        KeySpec("bandwidth", .numberOrChoice(min: 0, words: ["scott"]), .optional(default: "scott"), "KDE: kernel bandwidth, or `scott` for Scott's rule."),
    ]

    /// The keys a step with this method must write: `model` for the model-based methods, `fit`
    /// for the baselines, and any further model a method compares with.
    public var needs: [String] {
        switch self {
        case .reconstructionError, .reconstructionProbability, .anCho, .elbo, .iwae, .latentMahalanobis, .bernoulliKL, .inputComplexity: return ["model"]
        case .likelihoodRatio: return ["model", "background"]
        case .pca, .gaussian, .multivariateGaussian, .isolationForest, .kde: return ["fit"]
        }
    }

    /// A classical detector fitted on a dataset (`fit:`), not a trained model (`model:`).
    public var isBaseline: Bool { !needs.contains("model") }

    /// The keys that name a trained model the method reads samples through: each must take the
    /// scored data's shape.
    public var modelKeys: [String] { needs.filter { $0 != "fit" } }

    /// Needs a distribution over z, which only a VAE has.
    public var needsVAE: Bool {
        switch self {
        case .reconstructionProbability, .anCho, .elbo, .iwae, .likelihoodRatio, .inputComplexity: return true
        case .reconstructionError, .latentMahalanobis, .bernoulliKL, .pca, .gaussian, .multivariateGaussian, .isolationForest, .kde: return false
        }
    }

    /// A model-based method that also fits something on `fit` (default: the model's training data).
    public var readsFit: Bool {
        switch self {
        case .latentMahalanobis: return true
        case .reconstructionError, .reconstructionProbability, .anCho, .elbo, .iwae, .bernoulliKL, .likelihoodRatio, .inputComplexity, .pca, .gaussian, .multivariateGaussian, .isolationForest, .kde: return false
        }
    }

    /// The widest data the method fits: PCA and the full Gaussian hold a d×d covariance (a
    /// 4,096² one is 128 MiB) and decompose it in d³ steps (about a minute here at 4,096).
    public var maximumFeatures: Int? {
        switch self {
        case .pca, .multivariateGaussian: return 4096
        case .reconstructionError, .reconstructionProbability, .anCho, .elbo, .iwae, .latentMahalanobis, .bernoulliKL, .likelihoodRatio, .inputComplexity, .gaussian, .isolationForest, .kde: return nil
        }
    }

    /// What the score is, as the report says it.
    public var meaning: String {
        let what: String
        switch self {
        case .reconstructionError: what = "the reconstruction error"
        case .reconstructionProbability: what = "the negated reconstruction probability exp(−mean BCE)"
        case .anCho: what = "the negated expected log-likelihood E_q[log p(x|z)] (An & Cho)"
        case .elbo: what = "the negated ELBO (the VAE's loss)"
        case .iwae: what = "the negated importance-weighted bound on log p(x)"
        case .latentMahalanobis: what = "the Mahalanobis distance of the encoded mean from the training codes"
        case .likelihoodRatio: what = "−[log p_θ(x) − log p_bg(x)], each log p the ELBO, against the background model (Ren et al.)"
        case .inputComplexity: what = "−log₂ p(x) − L(x): the negated ELBO in bits minus the bits of the image compressed by zlib (Serrà et al.)"
        case .bernoulliKL: what = "Σ KL(Bern(x) ‖ Bern(x̂)), the summed BCE minus its floor Σ H(x), in nats (x̂ decoded from the mean code)"
        case .pca: what = "the squared PCA reconstruction error"
        case .gaussian, .multivariateGaussian, .kde: what = "the negated log-density"
        case .isolationForest: what = "the isolation score 2^(−E[path length]/c(n))"
        }
        return what + "; larger means more anomalous."
    }

    /// One rule per set of needed keys, in the order the methods are declared: "with method a,
    /// b: model must be given".
    public static var rules: [KeyRule] {
        var groups: [(needs: [String], methods: [String])] = []
        for method in allCases {
            if let i = groups.firstIndex(where: { $0.needs == method.needs }) { groups[i].methods.append(method.rawValue) } else { groups.append((method.needs, [method.rawValue])) }
        }
        return groups.map { .whenValue(key: "method", values: $0.methods, needs: $0.needs) }
    }
}
