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

    /// One update from the gradients currently stored in the parameters.
    func step() {
        steps += 1
        for (index, parameter) in parameters.enumerated() {
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            let m = first[index].pointer, v = second[index].pointer
            let n = parameter.count
            switch config {
            case .sgd(let lr, let momentum):
                if momentum == 0 {
                    for i in 0..<n { w[i] -= lr * g[i] }
                } else {
                    for i in 0..<n { m[i] = momentum * m[i] - lr * g[i]; w[i] += m[i] }
                }
            case .adam(let lr, let beta1, let beta2, let epsilon):
                let t = Float(steps)
                let alpha = lr * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
                for i in 0..<n {
                    m[i] += (g[i] - m[i]) * (1 - beta1)
                    v[i] += (g[i] * g[i] - v[i]) * (1 - beta2)
                    w[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
                }
            case .rmsprop(let lr, let rho, let epsilon):
                for i in 0..<n {
                    v[i] = rho * v[i] + (1 - rho) * g[i] * g[i]
                    w[i] -= lr * g[i] / (v[i] + epsilon).squareRoot()
                }
            }
        }
    }
}
