import Randomness
/// Transposed 2-D convolution, as Keras's `Conv2DTranspose`: the adjoint of a `Conv2D` whose
/// input has this layer's output shape, plus a bias and an activation.
///
/// Shapes: x [batch, H, W, Cin], W [kh, kw, filters, Cin], b [filters], y [batch, OH, OW, filters],
/// with OH = H·stride (`same`) or H·stride + max(kh − stride, 0) (`valid`).
public final class Conv2DTranspose: Layer {
    public let typeName = "Conv2DTranspose"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }

    /// Runs from this layer's output (large) to its input (small).
    let geometry: ConvGeometry
    private let filters: Int
    private let inChannels: Int
    private let cols: BatchBuffer

    public init(inputShape: [Int], filters: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: Padding = .valid, activation: Activation = .linear) throws {
        guard inputShape.count == 3 else { throw ArchitectureError("Conv2DTranspose needs an image input [height, width, channels], got \(inputShape); add a reshape") }
        geometry = .transposed(inH: inputShape[0], inW: inputShape[1], filters: filters,
                               kh: kernel.0, kw: kernel.1, strideH: stride.0, strideW: stride.1, padding: padding)
        self.inputShape = inputShape
        self.filters = filters
        self.inChannels = inputShape[2]
        self.outputShape = [geometry.inH, geometry.inW, filters]
        self.activation = activation
        self.kernel = Parameter(name: "kernel", shape: [kernel.0, kernel.1, filters, inputShape[2]])
        self.bias = Parameter(name: "bias", shape: [filters])
        cols = BatchBuffer(perSample: geometry.positions * geometry.patch)
    }

    public func initialize(using rng: inout RandomGenerator) {
        let receptive = geometry.kh * geometry.kw
        glorotUniform(kernel, fanIn: receptive * filters, fanOut: receptive * inChannels, rng: &rng)
        bias.value.fill(0)
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let g = geometry
        let c = cols.pointer(batch: batch)
        // cols [batch·H·W, patch] = x [batch·H·W, Cin] · Wᵀ, W viewed as [patch, Cin]
        BLAS.gemm(transposeB: true, m: batch * g.positions, n: g.patch, k: inChannels, a: x, b: kernel.value.pointer, c: c)
        Parallel.samples(batch, elementsPerSample: g.positions * g.patch) { b in
            let image = y + b * self.outputSize
            image.update(repeating: 0, count: self.outputSize)
            g.col2imAdd(c + b * g.positions * g.patch, image)
        }
        addBias(bias.value.pointer, to: y, rows: batch * g.inH * g.inW, channels: filters)
        activation.forward(y, count: batch * outputSize)
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let g = geometry
        let rows = batch * g.positions
        activation.backward(output: y, gradient: dy, count: batch * outputSize)
        accumulateBiasGradient(dy, into: bias.gradient.pointer, rows: batch * g.inH * g.inW, channels: filters)
        // The forward's cols are no longer needed: reuse them for im2col(dy).
        let c = cols.pointer(batch: batch)
        Parallel.samples(batch, elementsPerSample: g.positions * g.patch) { b in g.im2col(dy + b * self.outputSize, c + b * g.positions * g.patch) }
        // dW [patch, Cin] += colsᵀ · x
        BLAS.gemm(transposeA: true, m: g.patch, n: inChannels, k: rows, a: c, b: x, beta: 1, c: kernel.gradient.pointer)
        // dx [batch·H·W, Cin] = cols · W
        if let dx { BLAS.gemm(m: rows, n: inChannels, k: g.patch, a: c, b: kernel.value.pointer, c: dx) }
    }
}
