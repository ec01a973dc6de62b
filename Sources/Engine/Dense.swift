import Randomness
/// Fully connected layer: y = f(x · W + b).
///
/// Shapes: x [batch, in], W [in, out] (Keras's kernel layout), b [out], y [batch, out].
public final class Dense: Layer {
    public let typeName = "Dense"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }

    /// `inputShape` may be an image; it is read flattened, as after a Keras `Flatten`.
    public init(inputShape: [Int], units: Int, activation: Activation = .linear) {
        let inputs = inputShape.reduce(1, *)
        self.inputShape = inputShape
        self.outputShape = [units]
        self.activation = activation
        kernel = Parameter(name: "kernel", shape: [inputs, units])
        bias = Parameter(name: "bias", shape: [units])
    }

    public func initialize(using rng: inout RandomGenerator) {
        glorotUniform(kernel, fanIn: inputSize, fanOut: outputSize, rng: &rng)
        bias.value.fill(0)
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let n = outputSize
        for row in 0..<batch { (y + row * n).update(from: bias.value.pointer, count: n) }
        BLAS.gemm(m: batch, n: n, k: inputSize, a: x, b: kernel.value.pointer, beta: 1, c: y)
        activation.forward(y, count: batch * n)
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let n = outputSize, k = inputSize
        activation.backward(output: y, gradient: dy, count: batch * n)
        // dW += xᵀ · dy   [in, out]
        BLAS.gemm(transposeA: true, m: k, n: n, k: batch, a: x, b: dy, beta: 1, c: kernel.gradient.pointer)
        // db += Σ_batch dy
        let db = bias.gradient.pointer
        for row in 0..<batch {
            let g = dy + row * n
            for j in 0..<n { db[j] += g[j] }
        }
        // dx = dy · Wᵀ   [batch, in]
        if let dx { BLAS.gemm(transposeB: true, m: batch, n: k, k: n, a: dy, b: kernel.value.pointer, c: dx) }
    }
}
