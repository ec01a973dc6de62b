/// The shape of one matrix product a layer performs, for the benchmark's FLOP count and its
/// raw-sgemm ceiling measured on exactly these shapes.
public struct GEMMShape: Sendable, Hashable {
    public var m: Int, n: Int, k: Int
    public var transposeA: Bool, transposeB: Bool

    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

extension Layer {
    /// The products of one training step (forward, weight gradient, and the input gradient
    /// unless the layer is the first to back-propagate through) on `batch`.
    public func trainingGEMMs(batch: Int, inputGradient: Bool = true) -> [GEMMShape] {
        inputGradient ? allTrainingGEMMs(batch: batch) : Array(allTrainingGEMMs(batch: batch).prefix(2))
    }

    private func allTrainingGEMMs(batch: Int) -> [GEMMShape] {
        func three(rows: Int, inner: Int, columns: Int, forwardTransposeB: Bool = false) -> [GEMMShape] {
            [GEMMShape(m: rows, n: columns, k: inner, transposeA: false, transposeB: forwardTransposeB),
             GEMMShape(m: inner, n: columns, k: rows, transposeA: true, transposeB: false),
             GEMMShape(m: rows, n: inner, k: columns, transposeA: false, transposeB: true)]
        }
        switch self {
        case let dense as Dense:
            return three(rows: batch, inner: dense.inputSize, columns: dense.outputSize)
        case let conv as Conv2D:
            return three(rows: batch * conv.geometry.positions, inner: conv.geometry.patch, columns: conv.outputShape[2])
        case let deconv as Conv2DTranspose:
            let g = deconv.geometry, cin = deconv.inputShape[2]
            return [GEMMShape(m: batch * g.positions, n: g.patch, k: cin, transposeA: false, transposeB: true),
                    GEMMShape(m: g.patch, n: cin, k: batch * g.positions, transposeA: true, transposeB: false),
                    GEMMShape(m: batch * g.positions, n: cin, k: g.patch, transposeA: false, transposeB: false)]
        default:
            return []
        }
    }
}

extension Model {
    /// Every layer, encoder first, heads, then decoder.
    public var layers: [Layer] { allLayers }

    /// Every product of one training step on `batch` samples, as `step` performs them.
    public func trainingGEMMs(batch: Int) -> [GEMMShape] {
        let first = encoder.layers.indices.contains(encoder.firstTrainable) ? encoder.layers[encoder.firstTrainable] : nil
        return allLayers.flatMap { $0.trainingGEMMs(batch: batch, inputGradient: $0 !== first) }
    }
}
