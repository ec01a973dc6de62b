#if canImport(Glibc)
import Glibc
#endif

/// Element-wise activations, applied in place after a layer's linear part (as Keras fuses them).
public enum Activation: Sendable, Equatable, CustomStringConvertible {
    case linear, relu, sigmoid, tanh
    case leakyReLU(alpha: Float)

    public var description: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .leakyReLU(let alpha): return "leaky_relu(\(alpha))"
        }
    }

    /// y = f(y), in place over `count` values.
    func forward(_ y: UnsafeMutablePointer<Float>, count: Int) {
        if case .linear = self { return }
        Parallel.chunks(count) { range in forwardKernel(y, range) }
    }

    /// dpre = dy · f'(pre), in place over `count` values, from the outputs y = f(pre)
    /// (every activation here has a derivative expressible through its output).
    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        if case .linear = self { return }
        Parallel.chunks(count) { range in backwardKernel(y, dy, range) }
    }

    // Branch-free loops, so the compiler vectorises them.
    private func forwardKernel(_ y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in range { y[i] = max(y[i], 0) }
        case .leakyReLU(let alpha):
            for i in range { let v = y[i]; y[i] = v > 0 ? v : alpha * v }
        case .sigmoid:
            // σ(y + 0) = σ(y) bit for bit: only −0 changes, to +0, and σ(−0) = σ(+0).
            guard VectorMathKernels.available else { for i in range { y[i] = Activation.sigmoid(y[i]) }; return }
            VectorMathKernels.sigmoid(y + range.lowerBound, count: range.count, bias: 0)
        case .tanh:
            for i in range { y[i] = Glibc.tanhf(y[i]) }
        }
    }

    private func backwardKernel(_ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        switch self {
        case .linear:
            return
        case .relu:
            // The gradient is read whatever the sign: a load inside the condition keeps the loop
            // scalar, and a branch on the sign of every unit mispredicts half the time.
            for i in range { let g = dy[i]; dy[i] = y[i] > 0 ? g : 0 }
        case .leakyReLU(let alpha):
            for i in range { let g = dy[i]; dy[i] = y[i] > 0 ? g : alpha * g }
        case .sigmoid:
            for i in range { dy[i] *= y[i] * (1 - y[i]) }
        case .tanh:
            for i in range { dy[i] *= 1 - y[i] * y[i] }
        }
    }

    /// A numerically safe logistic function: e^−|x| never overflows. Both quotients are computed
    /// and one is selected, so that loops over it vectorise.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        sigmoid(x, expOfMinusMagnitude: Exponential.exp(-abs(x)))
    }

    /// The same from e = e^−|x|, for callers that need e as well (the cross-entropy loss).
    @inline(__always)
    static func sigmoid(_ x: Float, expOfMinusMagnitude e: Float) -> Float {
        x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }
}
