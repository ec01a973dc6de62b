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
        let n = outputSize, b = bias.value.pointer, activation = activation
        // y = x · W, then y = f(y + b) on each block of y as soon as it is computed.
        BLAS.gemm(m: batch, n: n, k: inputSize, a: x, b: kernel.value.pointer, c: y) { rows, columns in
            activation.forward(y, rows: rows, columns: columns, rowLength: n, bias: b)
        }
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let n = outputSize, k = inputSize, db = bias.gradient.pointer, activation = activation
        // dy ← dy · f'(pre) and db += Σ_batch dy, by ranges of columns: each column is summed
        // over the rows in order, whichever thread has it.
        Parallel.chunks(n, minimum: Parallel.minimumPieces(weighing: batch)) { columns in
            activation.backward(output: y, gradient: dy, rows: 0..<batch, columns: columns, rowLength: n, biasGradient: db)
        }
        // dW += xᵀ · dy   [in, out]
        BLAS.gemm(transposeA: true, m: k, n: n, k: batch, a: x, b: dy, beta: 1, c: kernel.gradient.pointer)
        // dx = dy · Wᵀ   [batch, in]
        if let dx { BLAS.gemm(transposeB: true, m: batch, n: k, k: n, a: dy, b: kernel.value.pointer, c: dx) }
    }
}
