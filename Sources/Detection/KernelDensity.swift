import Engine
import Foundation
import Randomness

/// Gaussian kernel density estimate on (at most 2,000 of) the fitting samples; the score is
/// −log density. Scott's rule here is h = n^(−1/(d+4)) · σ̄, σ̄ the root mean feature variance,
/// so the bandwidth follows the data's scale.
struct KernelDensity: Detector {
    static let maximumPoints = 2_000
    let points: [Float]
    let squaredNorms: [Float]
    let count: Int, d: Int
    let bandwidth: Double

    init(_ x: [Float], count: Int, d: Int, bandwidth: Double?, rng: inout RandomGenerator) {
        var rows = Array(0..<count)
        if count > Self.maximumPoints {
            rng.shuffle(&rows)
            rows = Array(rows.prefix(Self.maximumPoints)).sorted()
        }
        let selected = rows.flatMap { x[($0 * d)..<(($0 + 1) * d)] }
        points = selected
        self.count = rows.count
        self.d = d
        squaredNorms = (0..<rows.count).map { n in (0..<d).reduce(Float(0)) { $0 + selected[n * d + $1] * selected[n * d + $1] } }
        if let bandwidth {
            self.bandwidth = bandwidth
        } else {
            let mean = SampleStatistics.mean(x, count: count, d: d)
            var variance = 0.0
            for n in 0..<count { for j in 0..<d { let v = Double(x[n * d + j]) - mean[j]; variance += v * v } }
            let sigma = (variance / Double(count * d)).squareRoot()
            self.bandwidth = pow(Double(count), -1 / Double(d + 4)) * max(sigma, 1e-12)
        }
    }

    func score(_ x: [Float], count queries: Int) -> [Double] {
        let h2 = bandwidth * bandwidth
        let constant = log(Double(count)) + Double(d) / 2 * log(2 * Double.pi * h2)
        var scores = [Double](repeating: 0, count: queries)
        let chunk = 512
        var dots = [Float](repeating: 0, count: chunk * count)
        var exponents = [Double](repeating: 0, count: count)
        var start = 0
        while start < queries {
            let rows = min(chunk, queries - start)
            // dots[q, i] = x_q · p_i
            x.withUnsafeBufferPointer { xq in
                points.withUnsafeBufferPointer { p in
                    dots.withUnsafeMutableBufferPointer { out in
                        BLAS.gemm(transposeB: true, m: rows, n: count, k: d, a: xq.baseAddress! + start * d, b: p.baseAddress!, c: out.baseAddress!)
                    }
                }
            }
            for q in 0..<rows {
                let n = start + q
                var norm = 0.0
                for j in 0..<d { norm += Double(x[n * d + j]) * Double(x[n * d + j]) }
                // log Σ exp(−‖x − p‖² / 2h²), by log-sum-exp.
                var largest = -Double.infinity
                for i in 0..<count {
                    let distance = max(norm + Double(squaredNorms[i]) - 2 * Double(dots[q * count + i]), 0)
                    exponents[i] = -distance / (2 * h2)
                    largest = max(largest, exponents[i])
                }
                let sum = exponents.reduce(0) { $0 + exp($1 - largest) }
                scores[n] = -(largest + log(sum)) + constant
            }
            start += rows
        }
        return scores
    }
}
