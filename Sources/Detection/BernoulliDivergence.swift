import Engine
import Foundation
import Randomness

/// The reconstruction error of a Bernoulli decoder with its floor taken off:
///
///     S(x) = Σᵢ KL(Bern(xᵢ) ‖ Bern(x̂ᵢ)) = Σᵢ xᵢ log(xᵢ / x̂ᵢ) + (1 − xᵢ) log((1 − xᵢ) / (1 − x̂ᵢ))
///          = BCE(x, x̂) − Σᵢ H(xᵢ),   H(p) = −p log p − (1 − p) log(1 − p),
///
/// in nats, summed over pixels, with x̂ decoded from the code (the mean of q(z|x) for a VAE).
/// The binary cross-entropy of a grey pixel can never reach 0 — even x̂ = x costs H(x) — so the
/// summed BCE that a VAE trained with `loss: bce` reports is large for images with many grey
/// pixels and small for images that are mostly black, whatever the model learned. The KL is 0
/// exactly when x̂ = x, for any x in [0, 1]: only what the model failed to reconstruct is left.
/// The correction is the one Loaiza-Ganem and Cunningham (NeurIPS 2019, "The continuous Bernoulli")
/// point at; x̂ is clipped to [1e-7, 1 − 1e-7], as the BCE is.
///
/// ```swift
/// BernoulliDivergence.divergence([0, 1, 1], [0, 1, 1])          // ≈ 0 (2e-7: the clipping)
/// BernoulliDivergence.divergence([0.5], [0.5])                  // 0, where the BCE is log 2
/// ```
public struct BernoulliDivergence: SampleScorer {
    public init() {}

    public func scores(_ input: ScoreInput) throws -> ScoredSamples {
        let model = try input.requireModel(for: "bernoulli-kl")
        let d = input.sampleSize
        // A Bernoulli parameter is a probability: standardised features have no entropy to take off.
        if let bad = input.samples.first(where: { !(0...1).contains($0) }) {
            throw DetectionError("bernoulli-kl reads every value as a probability in [0, 1], but the data holds \(bad); scale it with 'scale: minmax'")
        }
        var noSampling: RandomGenerator? = nil
        let reconstruction = input.samples.withUnsafeBufferPointer { model.reconstruct($0.baseAddress!, count: input.count, sampling: &noSampling) }
        var bce = [Double](), entropy = [Double](), kl = [Double]()
        for n in 0..<input.count {
            let x = input.sample(n), y = reconstruction[(n * d)..<((n + 1) * d)]
            let parts = Self.terms(x, y)
            bce.append(parts.crossEntropy)
            entropy.append(parts.entropy)
            kl.append(parts.divergence)
        }
        return ScoredSamples(values: kl, terms: [.init(name: "BCE (nats)", values: bce), .init(name: "Σ H(x) (nats)", values: entropy),
                                                 .init(name: "KL = BCE − Σ H(x)", values: kl)])
    }

    /// Σᵢ KL(Bern(xᵢ) ‖ Bern(x̂ᵢ)), in nats.
    public static func divergence(_ x: [Float], _ reconstruction: [Float]) -> Double {
        terms(x[...], reconstruction[...]).divergence
    }

    /// The summed cross-entropy, its floor Σ H(x), and their difference computed term by term
    /// (0 · log 0 = 0), which stays ≥ 0 where subtracting two large sums would round.
    static func terms(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> (crossEntropy: Double, entropy: Double, divergence: Double) {
        var crossEntropy = 0.0, entropy = 0.0, divergence = 0.0
        for (t, p) in zip(x, y) {
            let t = Double(t), q = min(max(Double(p), 1e-7), 1 - 1e-7)
            crossEntropy -= t * log(q) + (1 - t) * log(1 - q)
            if t > 0 { entropy -= t * log(t); divergence += t * log(t / q) }
            if t < 1 { entropy -= (1 - t) * log(1 - t); divergence += (1 - t) * log((1 - t) / (1 - q)) }
        }
        return (crossEntropy, entropy, divergence)
    }
}
