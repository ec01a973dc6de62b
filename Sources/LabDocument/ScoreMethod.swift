/// How a `score` step scores samples: the vocabulary of its `method:` key. The schema's list of
/// methods, which need a model, a VAE or data to fit on, and what the report says each score
/// means are all read from here, and the interpreter switches over it exhaustively, so a new
/// method is one case here and one in the interpreter.
///
/// ```swift
/// ScoreMethod(rawValue: "elbo")?.needsVAE          // true
/// ScoreMethod.pca.isBaseline                       // true
/// ```
public enum ScoreMethod: String, Sendable, CaseIterable {
    case reconstructionError = "reconstruction-error"
    case reconstructionProbability = "reconstruction-probability"
    case anCho = "an-cho"
    case elbo
    case iwae
    case latentMahalanobis = "latent-mahalanobis"
    case pca
    case gaussian
    case multivariateGaussian = "multivariate-gaussian"
    case isolationForest = "isolation-forest"
    case kde

    /// A classical detector fitted on a dataset (`fit:`), not a trained model (`model:`).
    public var isBaseline: Bool {
        switch self {
        case .pca, .gaussian, .multivariateGaussian, .isolationForest, .kde: return true
        case .reconstructionError, .reconstructionProbability, .anCho, .elbo, .iwae, .latentMahalanobis: return false
        }
    }

    /// Needs a distribution over z, which only a VAE has.
    public var needsVAE: Bool {
        switch self {
        case .reconstructionProbability, .anCho, .elbo, .iwae: return true
        case .reconstructionError, .latentMahalanobis, .pca, .gaussian, .multivariateGaussian, .isolationForest, .kde: return false
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
        case .pca: what = "the squared PCA reconstruction error"
        case .gaussian, .multivariateGaussian, .kde: what = "the negated log-density"
        case .isolationForest: what = "the isolation score 2^(−E[path length]/c(n))"
        }
        return what + "; larger means more anomalous."
    }
}
