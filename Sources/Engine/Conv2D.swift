import Randomness
/// 2-D convolution, channels last, as Keras's `Conv2D`: y = f(conv(x, W) + b).
///
/// Shapes: x [batch, H, W, Cin], W [kh, kw, Cin, filters], b [filters], y [batch, OH, OW, filters].
/// Computed as im2col followed by one matrix product for the whole batch.
public final class Conv2D: Layer {
    public let typeName = "Conv2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [kernel, bias] }

    let geometry: ConvGeometry
    private let filters: Int
    /// im2col of the last forward batch [batch · OH · OW, kh · kw · Cin], reused by backward.
    private let cols: BatchBuffer
    private let colsGradient: BatchBuffer

    public init(inputShape: [Int], filters: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: Padding = .valid, activation: Activation = .linear) throws {
        guard inputShape.count == 3 else { throw ArchitectureError("Conv2D needs an image input [height, width, channels], got \(inputShape)") }
        geometry = try .convolution(inH: inputShape[0], inW: inputShape[1], channels: inputShape[2],
                                    kh: kernel.0, kw: kernel.1, strideH: stride.0, strideW: stride.1, padding: padding)
        self.inputShape = inputShape
        self.filters = filters
        self.outputShape = [geometry.outH, geometry.outW, filters]
        self.activation = activation
        self.kernel = Parameter(name: "kernel", shape: [kernel.0, kernel.1, inputShape[2], filters])
        self.bias = Parameter(name: "bias", shape: [filters])
        cols = BatchBuffer(perSample: geometry.positions * geometry.patch)
        colsGradient = BatchBuffer(perSample: geometry.positions * geometry.patch)
    }

    public func initialize(using rng: inout RandomGenerator) {
        let receptive = geometry.kh * geometry.kw
        glorotUniform(kernel, fanIn: receptive * geometry.channels, fanOut: receptive * filters, rng: &rng)
        bias.value.fill(0)
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let g = geometry
        let c = cols.pointer(batch: batch)
        Parallel.samples(batch, elementsPerSample: g.positions * g.patch) { b in g.im2col(x + b * self.inputSize, c + b * g.positions * g.patch) }
        // y [batch·P, filters] = cols [batch·P, patch] · W [patch, filters]
        BLAS.gemm(m: batch * g.positions, n: filters, k: g.patch, a: c, b: kernel.value.pointer, c: y)
        addBias(bias.value.pointer, to: y, rows: batch * g.positions, channels: filters)
        activation.forward(y, count: batch * outputSize)
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let g = geometry
        let rows = batch * g.positions
        activation.backward(output: y, gradient: dy, count: batch * outputSize)
        let c = cols.pointer(batch: batch)
        // dW [patch, filters] += colsᵀ · dy
        BLAS.gemm(transposeA: true, m: g.patch, n: filters, k: rows, a: c, b: dy, beta: 1, c: kernel.gradient.pointer)
        accumulateBiasGradient(dy, into: bias.gradient.pointer, rows: rows, channels: filters)
        guard let dx else { return }
        // dcols [batch·P, patch] = dy · Wᵀ, then folded back onto the input.
        let dc = colsGradient.pointer(batch: batch)
        BLAS.gemm(transposeB: true, m: rows, n: g.patch, k: filters, a: dy, b: kernel.value.pointer, c: dc)
        Parallel.samples(batch, elementsPerSample: g.positions * g.patch) { b in
            let image = dx + b * self.inputSize
            image.update(repeating: 0, count: self.inputSize)
            g.col2imAdd(dc + b * g.positions * g.patch, image)
        }
    }
}
