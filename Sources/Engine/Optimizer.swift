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

    /// The update's pieces: (parameter, range of its values), for every parameter. One parallel
    /// loop over all of them, instead of one per parameter, keeps every thread busy when the
    /// parameters are many and small (a dense autoencoder's are 64 to 50,000 values each).
    private let pieces: [(parameter: Int, range: Range<Int>)]
    /// Whether the parameters are enough values in all to be worth waking other threads for.
    private let parallel: Bool

    /// Values per piece: enough that a piece outweighs handing it to a thread.
    static let pieceLength = 16_384

    init(_ config: OptimizerConfig, parameters: [Parameter]) {
        self.config = config
        self.parameters = parameters
        first = parameters.map { FloatBuffer(count: $0.count) }
        second = parameters.map { FloatBuffer(count: $0.count) }
        pieces = parameters.enumerated().flatMap { index, parameter in
            stride(from: 0, to: parameter.count, by: Self.pieceLength).map { start in
                (index, start..<min(parameter.count, start + Self.pieceLength))
            }
        }
        parallel = parameters.reduce(0) { $0 + $1.count } >= Parallel.minimumElements
    }

    /// One update from the gradients currently stored in the parameters, which it leaves at
    /// zero for the next batch (in the same pass over memory). Each value's update reads only
    /// that value's own state, so how the pieces are shared out never changes the result.
    func step() {
        steps += 1
        let t = Float(steps)
        let config = self.config
        let run: (Int, (Int) -> Void) -> Void = parallel ? Parallel.each : { count, body in for i in 0..<count { body(i) } }
        run(pieces.count) { piece in
            let (index, range) = self.pieces[piece]
            let parameter = self.parameters[index]
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            let m = self.first[index].pointer, v = self.second[index].pointer
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
