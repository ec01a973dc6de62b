/// A batch's loss, as the mean over samples, split into its parts.
public struct LossParts: Sendable, Equatable, Codable {
    public var total: Double
    public var reconstruction: Double
    /// The KL term before weighting by β (0 for an autoencoder).
    public var kl: Double

    public static let zero = LossParts(total: 0, reconstruction: 0, kl: 0)
}

/// Reconstruction losses and their gradients, computed in one pass.
enum Losses {
    /// log(1 + e) for e in [0, 1], branch-free so loops over it vectorise: with
    /// s = e / (2 + e) ≤ 1/3, log(1 + e) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …); seven terms leave
    /// a relative error below 1e-8, under Float32's resolution.
    @inline(__always)
    static func log1pUnit(_ e: Float) -> Float {
        let s = e / (2 + e), s2 = s * s
        let series = 1 + s2 * (1 / 3 + s2 * (1 / 5 + s2 * (1 / 7 + s2 * (1 / 9 + s2 * (1 / 11 + s2 * (1 / 13))))))
        return 2 * s * series
    }

    /// One value's binary cross-entropy from its logit a and target x, and `scale` times its
    /// gradient: softplus(a) − x·a and σ(a) − x, with one e = exp(−|a|) for both.
    @inline(__always)
    static func binaryCrossEntropy(logit a: Float, target x: Float, scale: Float) -> (value: Float, gradient: Float) {
        let e = Exponential.exp(-abs(a))
        return (max(a, 0) - x * a + log1pUnit(e), scale * (Activation.sigmoid(a, expOfMinusMagnitude: e) - x))
    }

    /// Σ over `samples` × `size` values of the per-value loss; writes `scale` · dloss/d(prediction)
    /// to `gradient`.
    ///
    /// For `bce` the prediction is the logit a of a sigmoid output: loss = softplus(a) − x·a,
    /// gradient σ(a) − x, which is exact where log(σ(a)) would underflow; one exp(−|a|) serves
    /// both. For `mse` the prediction is the output y: loss = (y − x)², gradient 2(y − x).
    ///
    /// Each sample's values are summed in a fixed order (`LaneSum`), the samples separately (in
    /// parallel) and then in order, so the result does not depend on the thread count. The
    /// per-value losses go through a small buffer first: a loop that also added them up would
    /// run one value at a time.
    static func reconstruction(_ loss: ReconstructionLoss, prediction p: UnsafePointer<Float>, target x: UnsafePointer<Float>,
                               samples: Int, size: Int, gradient: UnsafeMutablePointer<Float>?, scale: Float,
                               perSample: UnsafeMutablePointer<Double>) -> Double {
        Parallel.samples(samples, elementsPerSample: size * 8) { n in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: chunkLength) { buffer in
                let values = buffer.baseAddress!
                var sum = LaneSum()
                var start = n * size
                let end = start + size
                while start < end {
                    let count = min(chunkLength, end - start)
                    let p = p + start, x = x + start
                    let g = gradient.map { $0 + start }
                    switch loss {
                    case .bce:
                        if VectorMathKernels.available {
                            VectorMathKernels.binaryCrossEntropy(logits: p, targets: x, count: count, scale: scale, values: values, gradient: g)
                        } else {
                            for i in 0..<count {
                                let (value, gradient) = binaryCrossEntropy(logit: p[i], target: x[i], scale: scale)
                                values[i] = value
                                g?[i] = gradient
                            }
                        }
                    case .mse:
                        // Two loops, not one testing `g` at each value: the compiler vectorises these.
                        if let g {
                            for i in 0..<count {
                                let d = p[i] - x[i]
                                values[i] = d * d
                                g[i] = scale * 2 * d
                            }
                        } else {
                            for i in 0..<count { let d = p[i] - x[i]; values[i] = d * d }
                        }
                    }
                    sum.add(values, count: count)
                    start += count
                }
                perSample[n] = sum.total
            }
        }
        var total: Double = 0
        for n in 0..<samples { total += perSample[n] }
        return total
    }

    /// Values per pass over a sample: a multiple of `LaneSum.lanes`, so that the lanes a value
    /// falls in depend on its index in the sample alone.
    static let chunkLength = 32 * LaneSum.lanes

    /// KL(N(mean, exp(logvar)) ‖ N(0, I)) summed over `count` values; adds `scale` · its
    /// gradient to `meanGradient` and `logVarGradient`.
    static func kl(mean m: UnsafePointer<Float>, logVar lv: UnsafePointer<Float>, count: Int,
                   meanGradient: UnsafeMutablePointer<Float>?, logVarGradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        var sum: Double = 0
        for i in 0..<count {
            let e = Exponential.exp(lv[i])
            sum += Double(-0.5 * (1 + lv[i] - m[i] * m[i] - e))
            meanGradient?[i] += scale * m[i]
            logVarGradient?[i] += scale * 0.5 * (e - 1)
        }
        return sum
    }
}
