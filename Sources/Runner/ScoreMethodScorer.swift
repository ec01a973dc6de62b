import Detection
import LabDocument

extension ScoreMethod {
    /// The implementation in `Detection`, configured by the step's keys. Here rather than beside
    /// the declaration, so that reading and checking labs needs nothing of `Detection`.
    ///
    /// ```swift
    /// let scorer = ScoreMethod.elbo.scorer(ScoreSettings(step: step, caps: caps))
    /// ```
    func scorer(_ settings: ScoreSettings) -> SampleScorer {
        switch self {
        case .reconstructionError:
            return ModelScore.reconstructionError(ModelScore.ErrorKind(rawValue: settings.choice("error")) ?? .mse, sampled: settings.choice("z") == "sample")
        case .reconstructionProbability: return ModelScore.reconstructionProbability(samples: settings.int("samples"))
        case .anCho: return ModelScore.anCho(samples: settings.int("samples"))
        case .elbo: return ModelScore.elbo(samples: settings.int("samples"))
        case .iwae: return ModelScore.iwae(samples: settings.int("samples"))
        case .latentMahalanobis: return ModelScore.latentMahalanobis
        case .bernoulliKL: return BernoulliDivergence()
        case .inputComplexity: return InputComplexity(samples: settings.int("samples"))
        case .likelihoodRatio: return LikelihoodRatio(background: settings.optionalString("background") ?? "", samples: settings.int("samples"))
        case .pca: return Baseline.pca(components: settings.number("components"))
        case .gaussian: return Baseline.gaussian
        case .multivariateGaussian: return Baseline.multivariateGaussian
        case .isolationForest: return Baseline.isolationForest(trees: settings.int("trees"), subsample: settings.int("subsample"))
        case .kde: return Baseline.kde(bandwidth: settings.optionalNumber("bandwidth"))
        }
    }

}
