import VectorMath

/// The sigmoid and the binary cross-entropy on eight lanes, where the CPU has AVX2: the Swift
/// code they replace runs on four (the engine is compiled for every x86-64 CPU), and a
/// sigmoid output or a cross-entropy loss goes over every pixel of every sample of a batch.
///
/// They give the bits of the Swift code (`Activation.sigmoid`, `Losses.binaryCrossEntropy`)
/// value by value: the same operations in the same order, none fused (`VectorMath.h`), so a
/// CPU with AVX2 and one without train the same model. `VectorMathKernelsTests` checks it.
///
/// ```swift
/// if VectorMathKernels.available { VectorMathKernels.sigmoid(y, count: n, bias: 0) }
/// ```
enum VectorMathKernels {
    static let available: Bool = VectorFeatures.detected.avx2

    /// y[i] = σ(y[i] + bias) for i < count.
    static func sigmoid(_ y: UnsafeMutablePointer<Float>, count: Int, bias: Float) {
        precondition(available)
        vector_math_sigmoid(count, y, bias)
    }

    /// y[r · rowLength + c] = σ(y[r · rowLength + c] + b[c]) for r < rows, c < width.
    static func biasSigmoid(_ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, rowLength: Int, bias b: UnsafePointer<Float>) {
        precondition(available && width <= rowLength)
        vector_math_bias_sigmoid(rows, width, rowLength, y, b)
    }

    /// `Losses.binaryCrossEntropy` of `count` logits and targets: the values, and the gradients
    /// unless `gradient` is nil.
    static func binaryCrossEntropy(logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int, scale: Float,
                                   values: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>?) {
        precondition(available)
        vector_math_binary_cross_entropy(count, logits, targets, scale, values, gradient)
    }
}
