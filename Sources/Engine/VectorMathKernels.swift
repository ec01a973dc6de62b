import VectorMath

/// The engine's element-wise loops on eight lanes, where the CPU has AVX2 (the sigmoid and the
/// cross-entropy on sixteen where it has AVX-512 F): the sigmoid and the binary cross-entropy, a
/// layer's bias and activation and their gradients, and im2col. The Swift code they replace runs
/// on four (the engine is compiled for every x86-64 CPU), and each goes over every value of a
/// layer's output for every sample of a batch.
///
/// They give the bits of the Swift code (`Activation.sigmoid`, `Losses.binaryCrossEntropy`,
/// `Activation.forward(_:rows:columns:rowLength:bias:)` and its backward pass,
/// `ConvGeometry.im2colReference`) value by value: the same operations in the same order, none
/// fused (`VectorMath.h`), so CPUs with AVX-512, with AVX2 only and with neither train the same
/// model.
/// `VectorMathKernelsTests` checks it.
///
/// ```swift
/// if VectorMathKernels.available { VectorMathKernels.sigmoid(y, count: n, bias: 0) }
/// ```
enum VectorMathKernels {
    static let available: Bool = VectorFeatures.detected.avx2

    // The sigmoid and the cross-entropy, which evaluate an exponential per value, also run on
    // sixteen lanes where the CPU has AVX-512 F, with the same bits (`VectorMathWide.c`).

    /// y[i] = σ(y[i] + bias) for i < count.
    static func sigmoid(_ y: UnsafeMutablePointer<Float>, count: Int, bias: Float, lanes: VectorLanes = .widest) {
        precondition(available && lanes.runsHere)
        switch lanes {
        case .eight: vector_math_sigmoid(count, y, bias)
        case .sixteen: vector_math_sigmoid_wide(count, y, bias)
        }
    }

    /// y[r · rowLength + c] = σ(y[r · rowLength + c] + b[c]) for r < rows, c < width.
    static func biasSigmoid(_ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, rowLength: Int, bias b: UnsafePointer<Float>,
                            lanes: VectorLanes = .widest) {
        precondition(available && lanes.runsHere && width <= rowLength)
        switch lanes {
        case .eight: vector_math_bias_sigmoid(rows, width, rowLength, y, b)
        case .sixteen: vector_math_bias_sigmoid_wide(rows, width, rowLength, y, b)
        }
    }

    /// `Losses.binaryCrossEntropy` of `count` logits and targets: the values, and the gradients
    /// unless `gradient` is nil.
    static func binaryCrossEntropy(logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int, scale: Float,
                                   values: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>?,
                                   lanes: VectorLanes = .widest) {
        precondition(available && lanes.runsHere)
        switch lanes {
        case .eight: vector_math_binary_cross_entropy(count, logits, targets, scale, values, gradient)
        case .sixteen: vector_math_binary_cross_entropy_wide(count, logits, targets, scale, values, gradient)
        }
    }

    /// y[r · rowLength + c] = f(y[r · rowLength + c] + b[c]) for r < rows, c < width, where
    /// `hasKernels(activation)`.
    static func biasActivation(_ activation: Activation, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, rowLength: Int,
                               bias b: UnsafePointer<Float>) {
        precondition(available && width <= rowLength && hasKernels(activation))
        let (kind, alpha) = kernelKind(activation)
        vector_math_bias_activation(kind, alpha, rows, width, rowLength, y, b)
    }

    /// Whether `biasActivation` and `activationGradient` compute `activation`. Sigmoid's forward
    /// pass has its own kernel, tanh's none; their derivatives stay in Swift, where the product
    /// of two NaNs keeps the NaN the Swift compiler's operand order gives.
    static func hasKernels(_ activation: Activation) -> Bool {
        switch activation {
        case .linear, .relu, .leakyReLU: return true
        case .sigmoid, .tanh: return false
        }
    }

    /// dy ← dy · f'(pre) from the outputs y = f(pre), and db[c] += Σ_r dy[r, c] in row order, for
    /// r < rows, c < width of rows `rowLength` apart, where `hasKernels(activation)`.
    static func activationGradient(_ activation: Activation, output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>,
                                   rows: Int, width: Int, rowLength: Int, biasGradient db: UnsafeMutablePointer<Float>) {
        precondition(available && width <= rowLength && hasKernels(activation))
        let (kind, alpha) = kernelKind(activation)
        vector_math_activation_gradient(kind, alpha, rows, width, rowLength, y, dy, db)
    }

    /// The same with dy left as it is: dy · f'(pre) goes to `destination`, whose rows are `rowLength` apart too.
    static func activationGradient(_ activation: Activation, output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>,
                                   into destination: UnsafeMutablePointer<Float>, rows: Int, width: Int, rowLength: Int,
                                   biasGradient db: UnsafeMutablePointer<Float>) {
        precondition(available && width <= rowLength && hasKernels(activation))
        let (kind, alpha) = kernelKind(activation)
        vector_math_activation_gradient_to(kind, alpha, rows, width, rowLength, y, dy, destination, db)
    }

    /// dst[i] += part[i], on eight lanes: `Parallel.add`'s loop, which Swift gives four.
    static func add(_ part: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        precondition(available)
        vector_math_add(count, part, dst)
    }

    /// `ConvGeometry.im2colReference` for `samples` images one after the other, into their cols
    /// one after the other.
    static func im2col(_ g: ConvGeometry, samples: Int, images: UnsafePointer<Float>, cols: UnsafeMutablePointer<Float>) {
        precondition(available)
        var geometry = vector_math_conv_geometry(in_h: g.inH, in_w: g.inW, channels: g.channels, kh: g.kh, kw: g.kw,
                                                 stride_h: g.strideH, stride_w: g.strideW, pad_top: g.padTop, pad_left: g.padLeft,
                                                 out_h: g.outH, out_w: g.outW)
        vector_math_im2col(&geometry, samples, images, cols)
    }

    private static func kernelKind(_ activation: Activation) -> (vector_math_activation, Float) {
        switch activation {
        case .linear: return (vector_math_activation_linear, 0)
        case .relu: return (vector_math_activation_relu, 0)
        case .leakyReLU(let alpha): return (vector_math_activation_leaky_relu, alpha)
        case .sigmoid: return (vector_math_activation_sigmoid, 0)
        case .tanh: return (vector_math_activation_tanh, 0)
        }
    }
}
