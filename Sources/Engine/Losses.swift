#if canImport(Glibc)
import Glibc
#endif

/// A batch's loss, as the mean over samples, split into its parts.
public struct LossParts: Sendable, Equatable {
    public var total: Double
    public var reconstruction: Double
    /// The KL term before weighting by β (0 for an autoencoder).
    public var kl: Double

    public static let zero = LossParts(total: 0, reconstruction: 0, kl: 0)
}

/// Reconstruction losses and their gradients, computed in one pass.
enum Losses {
    /// Σ over `count` values of the per-value loss; writes `scale` · dloss/d(prediction) to `gradient`.
    ///
    /// For `bce` the prediction is the logit a of a sigmoid output: loss = softplus(a) − x·a,
    /// gradient σ(a) − x, which is exact where log(σ(a)) would underflow. For `mse` the
    /// prediction is the output y: loss = (y − x)², gradient 2(y − x).
    static func reconstruction(_ loss: ReconstructionLoss, prediction p: UnsafePointer<Float>, target x: UnsafePointer<Float>,
                               count: Int, gradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        var sum: Double = 0
        switch loss {
        case .bce:
            for i in 0..<count {
                let a = p[i]
                sum += Double(max(a, 0) - x[i] * a + log1pf(expf(-abs(a))))
                gradient?[i] = scale * (Activation.sigmoid(a) - x[i])
            }
        case .mse:
            for i in 0..<count {
                let d = p[i] - x[i]
                sum += Double(d * d)
                gradient?[i] = scale * 2 * d
            }
        }
        return sum
    }

    /// KL(N(mean, exp(logvar)) ‖ N(0, I)) summed over `count` values; adds `scale` · its
    /// gradient to `meanGradient` and `logVarGradient`.
    static func kl(mean m: UnsafePointer<Float>, logVar lv: UnsafePointer<Float>, count: Int,
                   meanGradient: UnsafeMutablePointer<Float>?, logVarGradient: UnsafeMutablePointer<Float>?, scale: Float) -> Double {
        var sum: Double = 0
        for i in 0..<count {
            let e = expf(lv[i])
            sum += Double(-0.5 * (1 + lv[i] - m[i] * m[i] - e))
            meanGradient?[i] += scale * m[i]
            logVarGradient?[i] += scale * 0.5 * (e - 1)
        }
        return sum
    }
}
