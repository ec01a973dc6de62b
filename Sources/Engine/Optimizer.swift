#if canImport(Glibc)
import Glibc
#endif

/// Optimisers with Keras's defaults and update rules.
public enum OptimizerConfig: Sendable, Equatable {
    /// Keras SGD: velocity = momentum · velocity − lr · g; w += velocity.
    case sgd(learningRate: Float = 0.01, momentum: Float = 0)
    /// Keras Adam: bias-corrected step lr · √(1 − β2ᵗ) / (1 − β1ᵗ), ε outside the root.
    case adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7)
    /// Keras RMSprop: v = ρ v + (1 − ρ) g²; w −= lr · g / √(v + ε).
    case rmsprop(learningRate: Float = 0.001, rho: Float = 0.9, epsilon: Float = 1e-7)

    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        case .rmsprop: return "rmsprop"
        }
    }
}

/// Applies an optimiser's update to parameters, keeping its per-parameter state.
final class Optimizer {
    let config: OptimizerConfig
    private let parameters: [Parameter]
    private var first: [FloatBuffer]
    private var second: [FloatBuffer]
    private(set) var steps = 0

    init(_ config: OptimizerConfig, parameters: [Parameter]) {
        self.config = config
        self.parameters = parameters
        first = parameters.map { FloatBuffer(count: $0.count) }
        second = parameters.map { FloatBuffer(count: $0.count) }
    }

    /// One update from the gradients currently stored in the parameters, which it leaves at
    /// zero for the next batch (in the same pass over memory).
    func step() {
        steps += 1
        let t = Float(steps)
        for (index, parameter) in parameters.enumerated() {
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            let m = first[index].pointer, v = second[index].pointer
            let n = parameter.count
            let config = self.config
            Parallel.chunks(n) { range in
                switch config {
                case .sgd(let lr, let momentum):
                    if momentum == 0 {
                        for i in range { w[i] -= lr * g[i]; g[i] = 0 }
                    } else {
                        for i in range { m[i] = momentum * m[i] - lr * g[i]; w[i] += m[i]; g[i] = 0 }
                    }
                case .adam(let lr, let beta1, let beta2, let epsilon):
                    let alpha = lr * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
                    for i in range {
                        m[i] += (g[i] - m[i]) * (1 - beta1)
                        v[i] += (g[i] * g[i] - v[i]) * (1 - beta2)
                        w[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
                        g[i] = 0
                    }
                case .rmsprop(let lr, let rho, let epsilon):
                    for i in range {
                        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i]
                        w[i] -= lr * g[i] / (v[i] + epsilon).squareRoot()
                        g[i] = 0
                    }
                }
            }
        }
    }
}
