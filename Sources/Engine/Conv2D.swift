import Randomness
/// 2-D convolution, channels last, as Keras's `Conv2D`: y = f(conv(x, W) + b).
///
/// Shapes: x [batch, H, W, Cin], W [kh, kw, Cin, filters], b [filters], y [batch, OH, OW, filters].
/// Computed as im2col followed by a matrix product, over cache-sized blocks of samples; backward
/// computes a block's im2col again rather than keep the whole batch's, which would go out to
/// memory and back (7 MB for the conv VAE's second layer at batch 128).
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
    /// One block's im2col [samplesPerBlock · OH · OW, kh · kw · Cin] per worker.
    private let cols: BatchBuffer
    /// One block's cols gradient per worker, folded back onto the input while in the cache.
    private let colsGradient: BatchBuffer
    /// The kernel as [filters, patch], for the input gradient's product.
    private let transposedKernel: FloatBuffer
    /// Where each tap of each output position reads the input (`ScatterTargets`).
    private let scatterTargets: ScatterTargets
    /// Blocks' kernel gradients and bias gradients, a few per worker (`Parallel.partSlots`), added to
    /// the totals in block order.
    private let kernelGradientParts: BatchBuffer
    private let biasGradientParts: BatchBuffer
    /// The input's fields read in place (`ReceptiveFields`), from one block's frames per worker,
    /// where the products sum as those of the cols would.
    private let fields: ReceptiveFields
    private let frames: BatchBuffer

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
        cols = BatchBuffer(perSample: geometry.blockColsCount)
        colsGradient = BatchBuffer(perSample: geometry.blockColsCount)
        transposedKernel = FloatBuffer(count: kernel.0 * kernel.1 * inputShape[2] * filters)
        scatterTargets = ScatterTargets(geometry)
        kernelGradientParts = BatchBuffer(perSample: kernel.0 * kernel.1 * inputShape[2] * filters)
        biasGradientParts = BatchBuffer(perSample: filters)
        fields = ReceptiveFields(geometry)
        frames = BatchBuffer(perSample: geometry.samplesPerBlock * fields.frameSize)
    }

    public func releaseScratch() {
        cols.release()
        colsGradient.release()
        frames.release()
        kernelGradientParts.release()
        biasGradientParts.release()
    }

    public func initialize(using rng: inout RandomGenerator) {
        let receptive = geometry.kh * geometry.kw
        glorotUniform(kernel, fanIn: receptive * geometry.channels, fanOut: receptive * filters, rng: &rng)
        bias.value.fill(0)
    }

    // Both directions run over blocks of samples, as in `Conv2DTranspose`.

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let g = geometry
        let c = cols.pointer(batch: g.workers(batch: batch))
        let w = kernel.value.pointer, b = bias.value.pointer
        let fields = fields, f = ReceptiveFields.runsHere ? frames.pointer(batch: g.workers(batch: batch)) : nil
        Parallel.blocks(batch, size: g.samplesPerBlock) { samples, _, worker in
            let first = samples.lowerBound, rows = samples.count * g.positions
            let blockY = y + first * self.outputSize
            if let f, let block = fields.productBlock(rows: rows, n: self.filters) {
                // y = cols · W from the block's frames of x
                let blockFrames = f + worker * g.samplesPerBlock * fields.frameSize
                fields.pad(samples: samples.count, images: x + first * self.inputSize, into: blockFrames)
                for s in 0..<samples.count {
                    fields.product(blockFrames + s * fields.frameSize, b: w, n: self.filters, block: block, c: blockY + s * self.outputSize)
                }
            } else {
                let blockCols = c + worker * g.blockColsCount
                g.im2col(samples: samples.count, images: x + first * self.inputSize, cols: blockCols)
                // y [rows, filters] = f(cols [rows, patch] · W [patch, filters] + b)
                BLAS.gemmOnThisThread(m: rows, n: self.filters, k: g.patch, a: blockCols, b: w, c: blockY)
            }
            self.activation.forward(blockY, rows: rows, channels: self.filters, bias: b)
        }
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let g = geometry
        let c = cols.pointer(batch: g.workers(batch: batch))
        // dcols only where no kernel scatters the input gradient as it multiplies.
        let scatters = SmallProductKernels.scatters(geometry: g, depth: filters)
        let dc = dx == nil || scatters ? nil : colsGradient.pointer(batch: g.workers(batch: batch))
        let kernelSize = kernel.count, slots = Parallel.partSlots(forBlocks: g.blockCount(batch: batch))
        let parts = kernelGradientParts.pointer(batch: slots), biasParts = biasGradientParts.pointer(batch: slots)
        // W [patch, filters]; its transpose once, not in each block's product.
        let wt = transposedKernel.pointer
        let fields = fields, f = ReceptiveFields.runsHere ? frames.pointer(batch: g.workers(batch: batch)) : nil
        if dx != nil { BLAS.transpose(kernel.value.pointer, rows: g.patch, columns: filters, into: wt) }
        Parallel.blocks(batch, size: g.samplesPerBlock) { samples, slot, worker in
            let first = samples.lowerBound, rows = samples.count * g.positions
            let blockDy = dy + first * self.outputSize
            // dy [rows, filters] ← dy · f'; this block's db [filters] = Σ_rows dy
            let blockDb = biasParts + slot * self.filters
            blockDb.update(repeating: 0, count: self.filters)
            self.activation.backward(output: y + first * self.outputSize, gradient: blockDy, rows: rows, channels: self.filters, biasGradient: blockDb)
            // this block's dW [patch, filters] = colsᵀ · dy, with this block's cols (or frames) made again
            if let f, fields.gradientSumsAsCols(rows: rows, n: self.filters) {
                let blockFrames = f + worker * g.samplesPerBlock * fields.frameSize
                fields.pad(samples: samples.count, images: x + first * self.inputSize, into: blockFrames)
                fields.gradient(frames: samples.count, from: blockFrames, b: blockDy, n: self.filters, c: parts + slot * kernelSize)
            } else {
                let blockCols = c + worker * g.blockColsCount
                g.im2col(samples: samples.count, images: x + first * self.inputSize, cols: blockCols)
                BLAS.gemmOnThisThread(transposeA: true, m: g.patch, n: self.filters, k: rows, a: blockCols,
                                      b: blockDy, c: parts + slot * kernelSize)
            }
            guard let dx else { return }
            // dx = col2im(dy · Wᵀ [filters, patch]), through this worker's dcols where no kernel scatters
            g.col2imOfProduct(samples: samples.count, a: blockDy, depth: self.filters, b: wt, scatters: scatters,
                              targets: self.scatterTargets, cols: dc.map { $0 + worker * g.blockColsCount }, images: dx + first * self.inputSize)
        } foldingInOrder: { _, slot in
            Parallel.add(parts + slot * kernelSize, into: self.kernel.gradient.pointer, count: kernelSize)
            Parallel.add(biasParts + slot * self.filters, into: self.bias.gradient.pointer, count: self.filters)
        }
    }
}
