import Foundation
import Randomness

/// A classical detector fitted on normal data; `score` returns one score per sample, larger
/// meaning more anomalous.
public protocol Detector {
    func score(_ x: [Float], count: Int) -> [Double]
}

/// The classical detectors a lab can compare an autoencoder with.
public enum Baseline: Sendable, Equatable {
    /// PCA reconstruction error with `components` components (a whole number), or enough to
    /// explain that fraction of the variance (below 1).
    case pca(components: Double)
    /// Each feature an independent Gaussian: −log density.
    case gaussian
    /// One Gaussian with a full covariance: −log density.
    case multivariateGaussian
    /// Isolation Forest (Liu, Ting and Zhou, 2008).
    case isolationForest(trees: Int, subsample: Int)
    /// Gaussian kernel density: −log density. Bandwidth nil means Scott's rule.
    case kde(bandwidth: Double?)

    /// Fits the detector on `count` rows of `d` values (normal data).
    public func fit(_ x: [Float], count: Int, d: Int, seed: UInt64) throws -> Detector {
        guard count > 1 else { throw DetectionError("a baseline needs at least two samples to fit, got \(count)") }
        switch self {
        case .pca(let components): return try PCADetector(x, count: count, d: d, components: components)
        case .gaussian: return GaussianDetector(x, count: count, d: d)
        case .multivariateGaussian: return try MultivariateGaussianDetector(x, count: count, d: d)
        case .isolationForest(let trees, let subsample):
            var rng = RandomGenerator(seed: seed)
            return IsolationForest(x, count: count, d: d, trees: trees, subsample: subsample, rng: &rng)
        case .kde(let bandwidth):
            var rng = RandomGenerator(seed: seed)
            return KernelDensity(x, count: count, d: d, bandwidth: bandwidth, rng: &rng)
        }
    }
}

/// Small variances are floored so that constant pixels (always 0 in MNIST's corners) do not
/// make any non-zero value infinitely unlikely.
let varianceFloor = 1e-3

struct PCADetector: Detector {
    let mean: [Double]
    /// d × k, the principal directions as columns.
    let basis: [Double]
    let d: Int, k: Int

    init(_ x: [Float], count: Int, d: Int, components: Double) throws {
        guard components > 0, components < 1 || (components == components.rounded() && components <= Double(d)) else {
            throw DetectionError("PCA takes a fraction of variance below 1 or a whole number of components from 1 to \(d) (the number of features), not \(components)")
        }
        mean = SampleStatistics.mean(x, count: count, d: d)
        let (values, vectors) = try SampleStatistics.symmetricEigen(SampleStatistics.covariance(x, count: count, d: d, mean: mean), d: d)
        var k: Int
        if components >= 1 {
            k = Int(components)
        } else {
            let total = values.reduce(0) { $0 + max($1, 0) }
            var explained = 0.0
            k = 0
            while k < d, explained < components * total { explained += max(values[k], 0); k += 1 }
        }
        k = max(k, 1)
        var basis = [Double](repeating: 0, count: d * k)
        for i in 0..<d { for j in 0..<k { basis[i * k + j] = vectors[i * d + j] } }
        self.basis = basis
        self.d = d
        self.k = k
    }

    var componentCount: Int { k }

    /// Σ (x − x̂)², x̂ = mean + V Vᵀ (x − mean).
    func score(_ x: [Float], count: Int) -> [Double] {
        var scores = [Double](repeating: 0, count: count)
        var centred = [Double](repeating: 0, count: d), projection = [Double](repeating: 0, count: k)
        for n in 0..<count {
            var total = 0.0
            for j in 0..<d { centred[j] = Double(x[n * d + j]) - mean[j]; total += centred[j] * centred[j] }
            for c in 0..<k { projection[c] = 0 }
            for j in 0..<d where centred[j] != 0 { for c in 0..<k { projection[c] += centred[j] * basis[j * k + c] } }
            // ‖x − x̂‖² = ‖c‖² − ‖Vᵀc‖² for orthonormal V.
            scores[n] = max(total - projection.reduce(0) { $0 + $1 * $1 }, 0)
        }
        return scores
    }
}

struct GaussianDetector: Detector {
    let mean: [Double], variance: [Double], d: Int

    init(_ x: [Float], count: Int, d: Int) {
        mean = SampleStatistics.mean(x, count: count, d: d)
        var variance = [Double](repeating: 0, count: d)
        for n in 0..<count { for j in 0..<d { let v = Double(x[n * d + j]) - mean[j]; variance[j] += v * v } }
        self.variance = variance.map { max($0 / Double(count), varianceFloor) }
        self.d = d
    }

    func score(_ x: [Float], count: Int) -> [Double] {
        let constant = variance.reduce(0) { $0 + log(2 * Double.pi * $1) }
        return (0..<count).map { n in
            var sum = constant
            for j in 0..<d { let v = Double(x[n * d + j]) - mean[j]; sum += v * v / variance[j] }
            return sum / 2
        }
    }
}

struct MultivariateGaussianDetector: Detector {
    let mean: [Double], cholesky: [Double], logDeterminant: Double, d: Int

    init(_ x: [Float], count: Int, d: Int) throws {
        mean = SampleStatistics.mean(x, count: count, d: d)
        var cov = SampleStatistics.covariance(x, count: count, d: d, mean: mean)
        // Pixels that never vary make the covariance singular: regularise the diagonal.
        for i in 0..<d { cov[i * d + i] += varianceFloor }
        guard let l = SampleStatistics.cholesky(cov, d: d) else { throw DetectionError("the covariance is not positive definite even after regularisation") }
        cholesky = l
        logDeterminant = 2 * (0..<d).reduce(0) { $0 + log(l[$1 * d + $1]) }
        self.d = d
    }

    func score(_ x: [Float], count: Int) -> [Double] {
        var scratch = [Double](repeating: 0, count: d)
        let constant = logDeterminant + Double(d) * log(2 * Double.pi)
        return (0..<count).map { n in
            (SampleStatistics.mahalanobisSquared(x[(n * d)..<((n + 1) * d)], mean: mean, cholesky: cholesky, d: d, scratch: &scratch) + constant) / 2
        }
    }
}
