#if canImport(Glibc)
import Glibc
#endif

/// A layer's bias and activation as one pass over a block of its output, and their gradients as
/// one pass over the same block: the convolutions call these on each block of samples right
/// after its matrix product, and dense layers on each block of theirs, while the block is still
/// in the cache, instead of three passes over the whole batch (bias, activation, bias gradient),
/// one of them on a single thread.
///
/// Forward and backward, on `rows` rows of `channels` values (channels last):
///
///     forward:  y[r, c] = f(y[r, c] + b[c])
///     backward: dy[r, c] ← dy[r, c] · f'(pre[r, c]), from y = f(pre)
///               db[c]   += Σ_r dy[r, c], in row order
///
/// Both run on the calling thread (the caller is already running blocks in parallel); the
/// bias gradient of a block goes to a part of its own, added to the total in block order,
/// so nothing depends on the thread count.
///
/// ```swift
/// activation.forward(y, rows: 196, channels: 32, bias: b)
/// activation.backward(output: y, gradient: dy, rows: 196, channels: 32, biasGradient: part)
/// ```
extension Activation {
    func forward(_ y: UnsafeMutablePointer<Float>, rows: Int, channels: Int, bias b: UnsafePointer<Float>) {
        forward(y, rows: 0..<rows, columns: 0..<channels, rowLength: channels, bias: b)
    }

    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, rows: Int, channels: Int,
                  biasGradient db: UnsafeMutablePointer<Float>) {
        backward(output: y, gradient: dy, rows: 0..<rows, columns: 0..<channels, rowLength: channels, biasGradient: db)
    }

    /// The same with dy left as it is: dpre = dy · f'(pre) goes to `destination` (rows of
    /// `channels` values, as dy's), and db[c] += Σ_r dpre[r, c] in row order, as above.
    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
                  rows: Int, channels: Int, biasGradient db: UnsafeMutablePointer<Float>) {
        if runsOnKernels(width: channels) {
            return VectorMathKernels.activationGradient(self, output: y, gradient: dy, into: destination, rows: rows, width: channels,
                                                        rowLength: channels, biasGradient: db)
        }
        destination.update(from: dy, count: rows * channels)
        backwardReference(output: y, gradient: destination, rows: rows, width: channels, rowLength: channels, biasGradient: db)
    }

    /// The same on a rectangle of a matrix with rows of `rowLength` values: a block of a dense
    /// layer's product, which may be a range of its columns. `b` and `db` are indexed by column.
    func forward(_ y: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>, rowLength: Int, bias b: UnsafePointer<Float>) {
        let y = y + rows.lowerBound * rowLength + columns.lowerBound, b = b + columns.lowerBound
        let (count, width) = (rows.count, columns.count)
        if runsOnKernels(width: width) {
            return VectorMathKernels.biasActivation(self, y, rows: count, width: width, rowLength: rowLength, bias: b)
        }
        forwardReference(y, rows: count, width: width, rowLength: rowLength, bias: b)
    }

    /// The forward pass in Swift (the sigmoid through its own kernel), on rows from `y` on: what
    /// `VectorMathKernels.biasActivation` computes, and the path on CPUs without AVX2.
    func forwardReference(_ y: UnsafeMutablePointer<Float>, rows count: Int, width: Int, rowLength: Int, bias b: UnsafePointer<Float>) {
        switch self {
        case .linear: Self.rows(y, count, width, rowLength, b) { $0 }
        case .relu: Self.rows(y, count, width, rowLength, b) { max($0, 0) }
        case .leakyReLU(let alpha): Self.rows(y, count, width, rowLength, b) { $0 > 0 ? $0 : alpha * $0 }
        case .sigmoid:
            guard VectorMathKernels.available else { return Self.rows(y, count, width, rowLength, b) { Activation.sigmoid($0) } }
            if width == 1, rowLength == 1 {
                VectorMathKernels.sigmoid(y, count: count, bias: b[0])
            } else {
                VectorMathKernels.biasSigmoid(y, rows: count, width: width, rowLength: rowLength, bias: b)
            }
        case .tanh: Self.rows(y, count, width, rowLength, b) { Glibc.tanhf($0) }
        }
    }

    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>,
                  rowLength: Int, biasGradient db: UnsafeMutablePointer<Float>) {
        let offset = rows.lowerBound * rowLength + columns.lowerBound
        let (y, dy, db) = (y + offset, dy + offset, db + columns.lowerBound)
        let (count, width) = (rows.count, columns.count)
        if runsOnKernels(width: width) {
            return VectorMathKernels.activationGradient(self, output: y, gradient: dy, rows: count, width: width, rowLength: rowLength,
                                                        biasGradient: db)
        }
        backwardReference(output: y, gradient: dy, rows: count, width: width, rowLength: rowLength, biasGradient: db)
    }

    /// The backward pass in Swift, on rows from `y` and `dy` on: what
    /// `VectorMathKernels.activationGradient` computes, and the path on CPUs without AVX2.
    func backwardReference(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, rows count: Int, width: Int,
                           rowLength: Int, biasGradient db: UnsafeMutablePointer<Float>) {
        // The same derivatives as `backwardKernel`, written in the same order, so the same bits.
        switch self {
        case .linear: Self.rows(y, dy, count, width, rowLength, db) { _, g in g }
        case .relu: Self.rows(y, dy, count, width, rowLength, db) { y, g in y > 0 ? g : 0 }
        case .leakyReLU(let alpha): Self.rows(y, dy, count, width, rowLength, db) { y, g in y > 0 ? g : alpha * g }
        case .sigmoid: Self.rows(y, dy, count, width, rowLength, db) { y, g in g * (y * (1 - y)) }
        case .tanh: Self.rows(y, dy, count, width, rowLength, db) { y, g in g * (1 - y * y) }
        }
    }

    /// Rows at least this wide go to `VectorMathKernels` where the CPU has AVX2: a vector's
    /// width. Narrower ones (one channel, a latent of two) stay here, as a flat loop or scalar.
    static let smallestKernelWidth = 8

    /// Whether both passes on rows `width` wide run on the eight-lane kernels.
    private func runsOnKernels(width: Int) -> Bool {
        width >= Self.smallestKernelWidth && VectorMathKernels.available && VectorMathKernels.hasKernels(self)
    }

    /// One channel (the last layer of an image decoder) is a flat loop, so that it vectorises
    /// over rows instead of running an inner loop of one.
    @inline(__always)
    private static func rows(_ y: UnsafeMutablePointer<Float>, _ rows: Int, _ width: Int, _ rowLength: Int, _ b: UnsafePointer<Float>,
                             _ f: (Float) -> Float) {
        if width == 1, rowLength == 1 {
            let b0 = b[0]
            for i in 0..<rows { y[i] = f(y[i] + b0) }
            return
        }
        for r in 0..<rows {
            let row = y + r * rowLength
            for c in 0..<width { row[c] = f(row[c] + b[c]) }
        }
    }

    @inline(__always)
    private static func rows(_ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, _ rows: Int, _ width: Int, _ rowLength: Int,
                             _ db: UnsafeMutablePointer<Float>, _ derivative: (Float, Float) -> Float) {
        if width == 1, rowLength == 1 {
            var sum = db[0]
            for i in 0..<rows { let g = derivative(y[i], dy[i]); dy[i] = g; sum += g }
            db[0] = sum
            return
        }
        for r in 0..<rows {
            let row = dy + r * rowLength, out = y + r * rowLength
            for c in 0..<width { let g = derivative(out[c], row[c]); row[c] = g; db[c] += g }
        }
    }
}
