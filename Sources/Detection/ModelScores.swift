import Engine
import Foundation
import Randomness

/// Scores computed through a trained autoencoder or VAE. Every score is oriented so that larger
/// means more anomalous: probabilities, likelihoods and ELBOs are negated.
public enum ModelScore: Sendable, Equatable {
    public enum ErrorKind: String, Sendable { case mse, sse, rmse, bce }

    /// Per-sample reconstruction error through the code (or the posterior mean); with
    /// `sampled`, a VAE decodes one z drawn from q(z|x) instead, as seed 002 does.
    case reconstructionError(ErrorKind, sampled: Bool = false)
    /// Seed 000's "probability" exp(−mean BCE(x, x̂)), x̂ decoded from sampled z, averaged over
    /// `samples` draws; negated.
    case reconstructionProbability(samples: Int)
    /// An & Cho (2015): the Monte-Carlo estimate of E_q[log p(x|z)] over `samples` draws; negated.
    case anCho(samples: Int)
    /// −ELBO with `samples` draws of z for the expected log-likelihood and the KL in closed form.
    case elbo(samples: Int)
    /// −log of the importance-weighted bound with `samples` draws (IWAE_k; k = 1 is the ELBO).
    case iwae(samples: Int)
    /// Mahalanobis distance of the encoded mean from a Gaussian fitted to encoded training data.
    case latentMahalanobis

    /// Whether the method needs a VAE (a distribution over z).
    public var needsVAE: Bool {
        switch self {
        case .reconstructionError(_, let sampled): return sampled
        case .latentMahalanobis: return false
        default: return true
        }
    }

    /// Scores `count` samples of `x`; `fit` is the data the latent Gaussian is fitted on.
    public func scores(model: Model, _ x: [Float], count: Int, fit: [Float]? = nil, fitCount: Int = 0,
                       rng: inout RandomGenerator) throws -> [Double] {
        let d = model.architecture.inputSize
        guard x.count == count * d else { throw DetectionError("the data has samples of \(x.count / max(count, 1)) values; the model expects \(d)") }
        if needsVAE, model.architecture.kind != .vae { throw DetectionError("this score needs a VAE; the model is an autoencoder") }
        switch self {
        case .reconstructionError(let kind, let sampled):
            var sampler: RandomGenerator? = sampled ? rng : nil
            let reconstruction = x.withUnsafeBufferPointer { model.reconstruct($0.baseAddress!, count: count, sampling: &sampler) }
            if let sampler { rng = sampler }
            return (0..<count).map { n in Self.error(kind, x[(n * d)..<((n + 1) * d)], reconstruction[(n * d)..<((n + 1) * d)]) }
        case .latentMahalanobis:
            guard let fit, fitCount > 1 else { throw DetectionError("latent-mahalanobis needs data to fit the latent Gaussian on") }
            guard fit.count == fitCount * d else { throw DetectionError("the data the latent Gaussian is fitted on has samples of \(fit.count / fitCount) values; the model expects \(d)") }
            let latent = model.architecture.latent
            let train = fit.withUnsafeBufferPointer { model.encode($0.baseAddress!, count: fitCount) }
            let codes = x.withUnsafeBufferPointer { model.encode($0.baseAddress!, count: count) }
            let mean = SampleStatistics.mean(train, count: fitCount, d: latent)
            var cov = SampleStatistics.covariance(train, count: fitCount, d: latent, mean: mean)
            for i in 0..<latent { cov[i * latent + i] += 1e-6 }
            guard let l = SampleStatistics.cholesky(cov, d: latent) else { throw DetectionError("the encoded training data has a singular covariance") }
            var scratch = [Double](repeating: 0, count: latent)
            return (0..<count).map { n in SampleStatistics.mahalanobisSquared(codes[(n * latent)..<((n + 1) * latent)], mean: mean, cholesky: l, d: latent, scratch: &scratch).squareRoot() }
        case .reconstructionProbability(let samples), .anCho(let samples), .elbo(let samples), .iwae(let samples):
            return try sampled(model: model, x, count: count, samples: max(samples, 1), rng: &rng)
        }
    }

    /// The VAE scores, from `samples` draws z ~ q(z|x) per image, decoded in batches.
    private func sampled(model: Model, _ x: [Float], count: Int, samples: Int, rng: inout RandomGenerator) throws -> [Double] {
        let a = model.architecture, d = a.inputSize, latent = a.latent
        let (mean, logVar) = x.withUnsafeBufferPointer { model.encodeDistribution($0.baseAddress!, count: count) }
        // per-draw terms [count][samples]: log p(x|z), log p(z) − log q(z|x), and seed 000's probability
        var logLikelihood = [[Double]](repeating: [], count: count)
        var logPriorOverPosterior = [[Double]](repeating: [], count: count)
        var probability = [[Double]](repeating: [], count: count)
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        var z = [Float](repeating: 0, count: count * latent)
        for _ in 0..<samples {
            var logRatio = [Double](repeating: 0, count: count)
            for n in 0..<count {
                for j in 0..<latent {
                    let i = n * latent + j
                    // z is drawn as the model was trained: σ · ε with ε ~ N(0, epsilon_std²).
                    let std = exp(Double(logVar[i]) / 2) * Double(a.epsilonStd)
                    let value = Double(mean[i]) + std * rng.normal()
                    z[i] = Float(value)
                    // log N(z; 0, 1) − log q(z|x), q the distribution z was drawn from
                    let logPrior = -0.5 * value * value - halfLog2Pi
                    let deviation = (value - Double(mean[i])) / std
                    let logPosterior = -0.5 * deviation * deviation - log(std) - halfLog2Pi
                    logRatio[n] += logPrior - logPosterior
                }
            }
            let decoded = z.withUnsafeBufferPointer { model.decode($0.baseAddress!, count: count) }
            // Only the quantity this method needs, images split across the engine's threads
            // (each independent).
            let seedProbability: Bool
            if case .reconstructionProbability = self { seedProbability = true } else { seedProbability = false }
            var perImage = [Double](repeating: 0, count: count)
            let parts = min(count, 8)
            perImage.withUnsafeMutableBufferPointer { out in
                let out = out
                Parallel.each(parts) { part in
                    for n in (count * part / parts)..<(count * (part + 1) / parts) {
                        let xs = x[(n * d)..<((n + 1) * d)], ys = decoded[(n * d)..<((n + 1) * d)]
                        if seedProbability {
                            // Seed 000's clipping: BCE with log(p + 1e-7) and log(1 − p + 1e-7).
                            var bce = 0.0
                            for (t, p) in zip(xs, ys) {
                                bce -= Double(t) * log(Double(p) + 1e-7) + (1 - Double(t)) * log(1 - Double(p) + 1e-7)
                            }
                            out[n] = exp(-bce / Double(d))
                        } else {
                            switch a.loss {
                            case .bce: out[n] = -Self.error(.bce, xs, ys) * Double(d)
                            case .mse: out[n] = -Self.error(.sse, xs, ys)
                            }
                        }
                    }
                }
            }
            for n in 0..<count {
                if seedProbability { probability[n].append(perImage[n]) } else { logLikelihood[n].append(perImage[n]) }
                logPriorOverPosterior[n].append(logRatio[n])
            }
        }
        switch self {
        case .reconstructionProbability:
            return probability.map { -$0.reduce(0, +) / Double(samples) }
        case .anCho:
            return logLikelihood.map { -$0.reduce(0, +) / Double(samples) }
        case .elbo:
            return (0..<count).map { n in
                var kl = 0.0
                for j in 0..<latent {
                    let m = Double(mean[n * latent + j]), lv = Double(logVar[n * latent + j])
                    kl += -0.5 * (1 + lv - m * m - exp(lv))
                }
                return -(logLikelihood[n].reduce(0, +) / Double(samples) - kl)
            }
        case .iwae:
            return (0..<count).map { n in
                let weights = zip(logLikelihood[n], logPriorOverPosterior[n]).map { $0 + $1 }
                let largest = weights.max() ?? 0
                return -(largest + log(weights.reduce(0) { $0 + exp($1 - largest) } / Double(samples)))
            }
        default:
            return []
        }
    }

    /// Per-sample error between an input and its reconstruction; BCE clips at 1e-7.
    static func error(_ kind: ErrorKind, _ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Double {
        var sum = 0.0
        switch kind {
        case .mse, .sse, .rmse:
            for (a, b) in zip(x, y) { let v = Double(a) - Double(b); sum += v * v }
        case .bce:
            for (t, p) in zip(x, y) {
                let q = min(max(Double(p), 1e-7), 1 - 1e-7)
                sum -= Double(t) * log(q) + (1 - Double(t)) * log(1 - q)
            }
        }
        switch kind {
        case .sse: return sum
        case .mse, .bce: return sum / Double(x.count)
        case .rmse: return (sum / Double(x.count)).squareRoot()
        }
    }
}
