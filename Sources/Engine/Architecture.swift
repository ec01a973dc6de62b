/// One layer of an architecture description.
public enum LayerConfig: Sendable, Equatable {
    case dense(units: Int, activation: Activation)
    case conv(filters: Int, kernel: (Int, Int), stride: (Int, Int), padding: Padding, activation: Activation)
    case deconv(filters: Int, kernel: (Int, Int), stride: (Int, Int), padding: Padding, activation: Activation)
    case flatten
    case reshape([Int])
    case activation(Activation)

    public static func == (a: LayerConfig, b: LayerConfig) -> Bool { String(describing: a) == String(describing: b) }

    /// The same layer with another activation (used to train a sigmoid output from logits).
    func replacingActivation(with new: Activation) -> LayerConfig {
        switch self {
        case .dense(let u, _): return .dense(units: u, activation: new)
        case .conv(let f, let k, let s, let p, _): return .conv(filters: f, kernel: k, stride: s, padding: p, activation: new)
        case .deconv(let f, let k, let s, let p, _): return .deconv(filters: f, kernel: k, stride: s, padding: p, activation: new)
        case .activation: return .activation(new)
        case .flatten, .reshape: return self
        }
    }

    var activation: Activation? {
        switch self {
        case .dense(_, let a), .conv(_, _, _, _, let a), .deconv(_, _, _, _, let a), .activation(let a): return a
        case .flatten, .reshape: return nil
        }
    }

    func makeLayer(inputShape: [Int]) throws -> Layer {
        switch self {
        case .dense(let units, let activation):
            return Dense(inputShape: inputShape, units: units, activation: activation)
        case .conv(let filters, let kernel, let stride, let padding, let activation):
            return try Conv2D(inputShape: inputShape, filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation)
        case .deconv(let filters, let kernel, let stride, let padding, let activation):
            return try Conv2DTranspose(inputShape: inputShape, filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation)
        case .flatten:
            return Reshape.flatten(inputShape: inputShape)
        case .reshape(let shape):
            return try Reshape(inputShape: inputShape, outputShape: shape)
        case .activation(let activation):
            return ActivationLayer(inputShape: inputShape, activation: activation)
        }
    }
}

/// The reconstruction term of the loss.
public enum ReconstructionLoss: String, Sendable {
    /// Binary cross-entropy: a Bernoulli likelihood per pixel.
    case bce
    /// Squared error: a Gaussian likelihood per pixel.
    case mse
}

/// Everything that determines a model's shape and loss, as a Keras user would write it.
///
/// ```swift
/// let vae = Architecture(kind: .vae, inputShape: [28, 28, 1],
///                        encoder: [.dense(units: 400, activation: .relu)], latent: 2,
///                        decoder: [.dense(units: 400, activation: .relu), .dense(units: 784, activation: .sigmoid)],
///                        loss: .bce)
/// let model = try Model(vae, seed: 12)
/// print(model.summary())
/// ```
public struct Architecture: Sendable, Equatable {
    public enum Kind: String, Sendable { case autoencoder, vae }

    public var kind: Kind
    /// Shape of one input sample, e.g. [28, 28, 1].
    public var inputShape: [Int]
    public var encoder: [LayerConfig]
    public var latent: Int
    public var decoder: [LayerConfig]
    public var loss: ReconstructionLoss
    /// Weight of the KL term (VAE); 0 trains without it.
    public var beta: Float
    /// Standard deviation of ε in z = mean + exp(logvar / 2) · ε (VAE).
    public var epsilonStd: Float

    public init(kind: Kind, inputShape: [Int], encoder: [LayerConfig], latent: Int, decoder: [LayerConfig],
                loss: ReconstructionLoss, beta: Float = 1, epsilonStd: Float = 1) {
        self.kind = kind
        self.inputShape = inputShape
        self.encoder = encoder
        self.latent = latent
        self.decoder = decoder
        self.loss = loss
        self.beta = beta
        self.epsilonStd = epsilonStd
    }

    public var inputSize: Int { inputShape.reduce(1, *) }

    /// The decoder's last layer with an activation: the one whose activation gives the outputs
    /// (a flatten or reshape after it keeps each value in place). Nil when it has none.
    var decoderOutputLayer: Int? { decoder.lastIndex { $0.activation != nil } }
}
