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
    /// One block's cols [samplesPerBlock · positions, patch] per worker: written and read while
    /// they are in the cache, and never as large as a whole batch's.
    private let cols: BatchBuffer
    /// The kernel as [Cin, patch], for the forward product.
    private let transposedKernel: FloatBuffer
    /// Where each tap of each input position lands in the output (`ScatterTargets`).
    private let scatterTargets: ScatterTargets
    /// Blocks' kernel gradients and bias gradients, a few per worker (`Parallel.partSlots`), added to
    /// the totals in block order.
    private let kernelGradientParts: BatchBuffer
    private let biasGradientParts: BatchBuffer
    /// The output gradient's fields read in place (`ReceptiveFields`), from one block's frames per
    /// worker, where the products sum as those of the cols would.
    private let fields: ReceptiveFields
    private let frames: BatchBuffer
    /// One filter and stride 1: the forward pass with the positions on the lanes (`OneFilterForward`).
    private let oneFilterForward: OneFilterForward?
    private let forwardScratch: BatchBuffer

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
        cols = BatchBuffer(perSample: geometry.blockColsCount)
        transposedKernel = FloatBuffer(count: kernel.0 * kernel.1 * filters * inputShape[2])
        scatterTargets = ScatterTargets(geometry)
        kernelGradientParts = BatchBuffer(perSample: kernel.0 * kernel.1 * filters * inputShape[2])
        biasGradientParts = BatchBuffer(perSample: filters)
        fields = ReceptiveFields(geometry)
        frames = BatchBuffer(perSample: geometry.samplesPerBlock * fields.frameSize)
        oneFilterForward = OneFilterForward.runs(geometry) ? OneFilterForward(geometry, depth: inputShape[2]) : nil
        forwardScratch = BatchBuffer(perSample: oneFilterForward?.scratchCount ?? 0)
    }

    public func releaseScratch() {
        cols.release()
        frames.release()
        forwardScratch.release()
        kernelGradientParts.release()
        biasGradientParts.release()
    }

    public func initialize(using rng: inout RandomGenerator) {
        let receptive = geometry.kh * geometry.kw
        glorotUniform(kernel, fanIn: receptive * filters, fanOut: receptive * inChannels, rng: &rng)
        bias.value.fill(0)
    }

    // Both directions run over blocks of samples (`ConvGeometry.samplesPerBlock`): each block's
    // cols are written and read while they are in the cache, and each block's kernel gradient
    // is added to the total in block order, so the result never depends on the thread count.

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let g = geometry
        let c = cols.pointer(batch: g.workers(batch: batch))
        let b = bias.value.pointer
        let oneFilter = oneFilterForward, scratch = oneFilter == nil ? nil : forwardScratch.pointer(batch: g.workers(batch: batch))
        // W viewed as [patch, Cin]; its transpose once, not in each block's product.
        let wt = transposedKernel.pointer
        BLAS.transpose(kernel.value.pointer, rows: g.patch, columns: inChannels, into: wt)
        let scatters = SmallProductKernels.scatters(geometry: g, depth: inChannels)
        let w = kernel.value.pointer
        Parallel.blocks(batch, size: g.samplesPerBlock) { samples, _, worker in
            let first = samples.lowerBound
            if let oneFilter, let scratch, oneFilter.sumsAsProduct(rows: samples.count * g.positions) {
                for s in samples {
                    oneFilter.run(x + s * self.inputSize, kernel: w, scratch: scratch + worker * oneFilter.scratchCount, image: y + s * self.outputSize)
                }
                self.activation.forward(y + first * self.outputSize, rows: samples.count * g.inH * g.inW, channels: self.filters, bias: b)
                return
            }
            // y = col2im(x [rows, Cin] · Wᵀ [Cin, patch]), through this worker's cols where no kernel scatters
            g.col2imOfProduct(samples: samples.count, a: x + first * self.inputSize, depth: self.inChannels, b: wt, scatters: scatters,
                              targets: self.scatterTargets, cols: c + worker * g.blockColsCount, images: y + first * self.outputSize)
            // y [samples · OH · OW, filters] = f(y + b), while the block is in the cache
            self.activation.forward(y + first * self.outputSize, rows: samples.count * g.inH * g.inW, channels: self.filters, bias: b)
        }
    }

    public func backward(input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         batch: Int) {
        let g = geometry
        // The same scratch now holds im2col(dy), a block at a time.
        let c = cols.pointer(batch: g.workers(batch: batch))
        let kernelSize = kernel.count, slots = Parallel.partSlots(forBlocks: g.blockCount(batch: batch))
        let parts = kernelGradientParts.pointer(batch: slots), biasParts = biasGradientParts.pointer(batch: slots)
        let w = kernel.value.pointer
        let fields = fields, f = ReceptiveFields.runsHere ? frames.pointer(batch: g.workers(batch: batch)) : nil
        Parallel.blocks(batch, size: g.samplesPerBlock) { samples, slot, worker in
            let first = samples.lowerBound, rows = samples.count * g.positions
            let blockCols = c + worker * g.blockColsCount
            let blockDb = biasParts + slot * self.filters
            blockDb.update(repeating: 0, count: self.filters)
            let blockY = y + first * self.outputSize, blockDy = dy + first * self.outputSize
            let block = fields.productBlock(rows: rows, n: self.inChannels)
            if let f, fields.gradientSumsAsCols(rows: rows, n: self.inChannels), dx == nil || block != nil {
                // frames of dy · f'; this block's db [filters] = Σ dy · f', in the rows' order, as below
                let blockFrames = f + worker * g.samplesPerBlock * fields.frameSize
                fields.pad(samples: samples.count, images: blockDy, into: blockFrames) { source, destination, _, offset in
                    self.activation.backward(output: blockY + offset, gradient: source, into: destination, rows: g.inW,
                                             channels: self.filters, biasGradient: blockDb)
                }
                // this block's dW [patch, Cin] = colsᵀ · x; dx [rows, Cin] = cols · W
                fields.gradient(frames: samples.count, from: blockFrames, b: x + first * self.inputSize, n: self.inChannels,
                                c: parts + slot * kernelSize)
                guard let dx, let block else { return }
                for s in 0..<samples.count {
                    fields.product(blockFrames + s * fields.frameSize, b: w, n: self.inChannels, block: block, c: dx + (first + s) * self.inputSize)
                }
                return
            }
            // dy [samples · OH · OW, filters] ← dy · f'; this block's db [filters] = Σ dy
            self.activation.backward(output: blockY, gradient: blockDy, rows: samples.count * g.inH * g.inW, channels: self.filters,
                                     biasGradient: blockDb)
            g.im2col(samples: samples.count, images: dy + first * self.outputSize, cols: blockCols)
            // this block's dW [patch, Cin] = colsᵀ · x
            BLAS.gemmOnThisThread(transposeA: true, m: g.patch, n: self.inChannels, k: rows, a: blockCols,
                                  b: x + first * self.inputSize, c: parts + slot * kernelSize)
            // dx [rows, Cin] = cols · W
            if let dx { BLAS.gemmOnThisThread(m: rows, n: self.inChannels, k: g.patch, a: blockCols, b: w, c: dx + first * self.inputSize) }
        } foldingInOrder: { _, slot in
            Parallel.add(parts + slot * kernelSize, into: self.kernel.gradient.pointer, count: kernelSize)
            Parallel.add(biasParts + slot * self.filters, into: self.bias.gradient.pointer, count: self.filters)
        }
    }
}
