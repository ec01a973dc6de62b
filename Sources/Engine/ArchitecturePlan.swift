/// What a model will be, worked out from its `Architecture` alone, before anything is
/// allocated: every layer's output shape, the parameter count and the memory training needs.
/// All arithmetic is checked, so sizes that would overflow are an `ArchitectureError`, not a trap.
///
/// ```swift
/// let plan = try vae.plan()
/// plan.parameterCount                       // 631,188 for seed 000's VAE
/// plan.trainingBytes(batch: 100) > 2 << 30  // refuse before allocating
/// ```
public struct ArchitecturePlan: Sendable, Equatable {
    /// Output shape of each encoder layer, then of each decoder layer.
    public var encoderShapes: [[Int]]
    public var decoderShapes: [[Int]]
    public var parameterCount: Int
    /// Values one sample occupies between layers (activations and their gradients) and in
    /// convolution scratch: what grows with the batch.
    public var valuesPerSample: Int
    /// The size of z: scores and charts fit a latent×latent covariance on the codes.
    public var latent: Int

    /// Bytes training takes with Adam: each parameter's value, gradient and two moments (Float),
    /// and each sample's activations and gradients for one batch; plus the three latent×latent
    /// matrices (Double) that the latent Gaussian and the latent chart's projection fit on the
    /// codes. Saturates instead of wrapping.
    public func trainingBytes(batch: Int) -> Int {
        let weights = Checked.multiply(parameterCount, 4 * 4) ?? .max
        let activations = Checked.multiply(Checked.multiply(valuesPerSample, 2 * 4) ?? .max, max(batch, 1)) ?? .max
        let latentStatistics = Checked.multiply(Checked.multiply(latent, latent) ?? .max, 3 * 8) ?? .max
        return Checked.add(Checked.add(weights, activations) ?? .max, latentStatistics) ?? .max
    }
}

extension Architecture {
    /// The plan of this architecture, or why it cannot be built (the same reasons `Model` gives).
    public func plan() throws -> ArchitecturePlan {
        guard latent > 0 else { throw ArchitectureError("the latent size must be at least 1") }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }), let inputSize = Checked.product(inputShape) else {
            throw ArchitectureError("the input shape \(inputShape) is not a shape")
        }
        var tally = Tally()
        let encoderShapes = try tally.walk(encoder, from: inputShape)
        let encoded = encoderShapes.last ?? inputShape
        let hidden = try tally.size(of: encoded)
        switch kind {
        case .autoencoder:
            guard hidden == latent else {
                throw ArchitectureError("the encoder ends with \(hidden) values (\(ShapeText.of(encoded))), but the latent size is \(latent); for an autoencoder they must match")
            }
        case .vae:
            // The mean and log-variance heads: two dense layers from the encoder's output.
            try tally.addParameters(hidden, latent, plus: latent, times: 2)
            try tally.addValues(latent, times: 6)
        }
        guard !decoder.isEmpty else { throw ArchitectureError("the decoder has no layers") }
        // A flatten or reshape after the sigmoid (Keras's `Dense(784, "sigmoid")` then `Reshape`) keeps probabilities.
        if loss == .bce, decoderOutputLayer.flatMap({ decoder[$0].activation }) != .sigmoid {
            throw ArchitectureError("loss 'bce' needs the decoder to end in a sigmoid (its last layer, or the last before a flatten or reshape), so outputs are probabilities")
        }
        let decoderShapes = try tally.walk(decoder, from: [latent])
        let decoded = decoderShapes.last ?? [latent]
        let outputSize = try tally.size(of: decoded)
        guard outputSize == inputSize else {
            throw ArchitectureError("the decoder ends with \(outputSize) values (\(ShapeText.of(decoded))), but the input has \(inputSize) (\(ShapeText.of(inputShape)))")
        }
        return ArchitecturePlan(encoderShapes: encoderShapes, decoderShapes: decoderShapes,
                                parameterCount: tally.parameters, valuesPerSample: tally.values, latent: latent)
    }
}

/// Running totals of a plan, each addition checked.
private struct Tally {
    var parameters = 0
    var values = 0

    static let tooLarge = ArchitectureError("the model is too large: its sizes overflow a 64-bit count")

    func size(of shape: [Int]) throws -> Int {
        guard let size = Checked.product(shape) else { throw Self.tooLarge }
        return size
    }

    /// Adds `times` layers of `inputs · outputs + bias` parameters.
    mutating func addParameters(_ inputs: Int, _ outputs: Int, plus bias: Int, times: Int = 1) throws {
        guard let weights = Checked.multiply(inputs, outputs), let layer = Checked.add(weights, bias),
              let all = Checked.multiply(layer, times), let total = Checked.add(parameters, all) else { throw Self.tooLarge }
        parameters = total
    }

    mutating func addValues(_ count: Int, times: Int = 1) throws {
        guard let all = Checked.multiply(count, times), let total = Checked.add(values, all) else { throw Self.tooLarge }
        values = total
    }

    /// The output shape of each layer in turn.
    mutating func walk(_ layers: [LayerConfig], from input: [Int]) throws -> [[Int]] {
        var shape = input
        var shapes: [[Int]] = []
        for (index, layer) in layers.enumerated() {
            do {
                shape = try output(of: layer, input: shape)
            } catch let error as ArchitectureError {
                throw ArchitectureError("layer \(index + 1): \(error.description)")
            }
            try addValues(try size(of: shape))
            shapes.append(shape)
        }
        return shapes
    }

    private mutating func output(of layer: LayerConfig, input: [Int]) throws -> [Int] {
        let inputSize = try size(of: input)
        switch layer {
        case .dense(let units, _):
            guard units > 0 else { throw ArchitectureError("a dense layer needs at least 1 unit") }
            try addParameters(inputSize, units, plus: units)
            return [units]
        case .conv(let filters, let kernel, let stride, let padding, _), .deconv(let filters, let kernel, let stride, let padding, _):
            let transposed: Bool
            if case .deconv = layer { transposed = true } else { transposed = false }
            let name = transposed ? "Conv2DTranspose" : "Conv2D"
            guard input.count == 3 else {
                throw ArchitectureError("\(name) needs an image input [height, width, channels], got \(input)\(transposed ? "; add a reshape" : "")")
            }
            guard filters > 0, kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0 else {
                throw ArchitectureError("\(name) needs positive filters, kernel and stride")
            }
            let height = try side(input[0], kernel.0, stride.0, padding, transposed: transposed)
            let width = try side(input[1], kernel.1, stride.1, padding, transposed: transposed)
            guard let receptive = Checked.product([kernel.0, kernel.1, input[2]]) else { throw Self.tooLarge }
            try addParameters(receptive, filters, plus: filters)
            // im2col scratch: one receptive field per output (or input, when transposed) position.
            let positions = transposed ? inputSize / input[2] : try size(of: [height, width])
            guard let scratch = Checked.multiply(positions, transposed ? kernel.0 * kernel.1 * filters : receptive) else { throw Self.tooLarge }
            try addValues(scratch)
            return [height, width, filters]
        case .flatten:
            return [inputSize]
        case .reshape(let shape):
            guard shape.allSatisfy({ $0 > 0 }), let size = Checked.product(shape), size == inputSize else {
                let wanted = Checked.product(shape).map(String.init) ?? "too many"
                throw ArchitectureError("cannot reshape \(ShapeText.of(input)) (\(inputSize) values) to \(ShapeText.of(shape)) (\(wanted) values)")
            }
            return shape
        case .activation:
            return input
        }
    }

    /// One side of a convolution's output, as `ConvGeometry` computes it, with checked arithmetic.
    private func side(_ n: Int, _ k: Int, _ s: Int, _ padding: Padding, transposed: Bool) throws -> Int {
        switch (padding, transposed) {
        case (.same, false):
            return n / s + (n % s == 0 ? 0 : 1)
        case (.valid, false):
            guard n >= k else { throw ArchitectureError("a \(k)-wide kernel with 'valid' padding does not fit an input \(n) wide") }
            return (n - k) / s + 1
        case (.same, true):
            guard let big = Checked.multiply(n, s) else { throw Self.tooLarge }
            return big
        case (.valid, true):
            guard let big = Checked.multiply(n, s), let total = Checked.add(big, max(k - s, 0)) else { throw Self.tooLarge }
            return total
        }
    }
}

/// Integer arithmetic that answers nil instead of overflowing.
enum Checked {
    static func add(_ a: Int, _ b: Int) -> Int? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    static func product(_ values: [Int]) -> Int? {
        values.reduce(Optional(1)) { total, value in total.flatMap { multiply($0, value) } }
    }
}
