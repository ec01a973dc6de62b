import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// An autoencoder or a variational autoencoder built from an `Architecture`.
///
/// Autoencoder: x → encoder → code (the latent) → decoder → x̂.
/// VAE: x → encoder → h → (mean, logvar) heads → z = mean + exp(logvar / 2) · ε → decoder → x̂,
/// with ε ~ N(0, epsilon_std²).
///
/// ```swift
/// let model = try Model(architecture, seed: 12)
/// let codes = model.encode(images, count: 100)   // [100, latent]
/// let images = model.decode(codes, count: 100)    // [100, 784], pixel means
/// ```
public final class Model {
    public let architecture: Architecture
    let encoder: Sequential
    let meanHead: Dense?
    let logVarHead: Dense?
    let decoder: Sequential
    /// Applied to the decoder's output at inference: a BCE-trained model is trained on logits
    /// and turned into probabilities here.
    let outputActivation: Activation

    // Per-batch buffers, reused.
    let meanStorage: BatchBuffer
    let logVarStorage: BatchBuffer
    private let epsilon: BatchBuffer
    private let perSampleLoss = BatchDoubles()
    private let z: BatchBuffer
    private let zGradient: BatchBuffer
    private let meanGradient: BatchBuffer
    private let logVarGradient: BatchBuffer
    private let hGradient: BatchBuffer
    private let hGradientFromLogVar: BatchBuffer

    public init(_ architecture: Architecture, seed: UInt64) throws {
        // Every shape and size is checked here, before anything is allocated; what follows
        // builds what the plan describes.
        _ = try architecture.plan()
        self.architecture = architecture
        let latent = architecture.latent
        encoder = try Sequential(architecture.encoder, inputShape: architecture.inputShape)

        switch architecture.kind {
        case .autoencoder:
            meanHead = nil
            logVarHead = nil
        case .vae:
            meanHead = Dense(inputShape: encoder.outputShape, units: latent)
            logVarHead = Dense(inputShape: encoder.outputShape, units: latent)
        }

        var decoderConfigs = architecture.decoder
        if architecture.loss == .bce, let last = architecture.decoderOutputLayer {
            // BCE is computed from logits: the sigmoid the plan required moves into the loss
            // (a reshape after it keeps each value's place).
            decoderConfigs[last] = decoderConfigs[last].replacingActivation(with: .linear)
            outputActivation = .sigmoid
        } else {
            outputActivation = .linear
        }
        decoder = try Sequential(decoderConfigs, inputShape: [latent])

        let hidden = encoder.outputSize
        meanStorage = BatchBuffer(perSample: latent)
        logVarStorage = BatchBuffer(perSample: latent)
        epsilon = BatchBuffer(perSample: latent)
        z = BatchBuffer(perSample: latent)
        zGradient = BatchBuffer(perSample: latent)
        meanGradient = BatchBuffer(perSample: latent)
        logVarGradient = BatchBuffer(perSample: latent)
        hGradient = BatchBuffer(perSample: hidden)
        hGradientFromLogVar = BatchBuffer(perSample: hidden)
        initialize(seed: seed)
    }

    /// Every trainable parameter, encoder first, in a fixed order (weights files rely on it).
    public var parameters: [Parameter] {
        encoder.parameters + (meanHead?.parameters ?? []) + (logVarHead?.parameters ?? []) + decoder.parameters
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Draws fresh initial weights from `seed`.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for layer in allLayers { layer.initialize(using: &rng) }
    }

    /// Frees every buffer kept between batches (activations, gradients, convolution scratch);
    /// they grow back on the next call, so a model kept for later holds little more than its weights.
    ///
    /// ```swift
    /// let history = try Trainer.fit(model, data: data, config: config)
    /// model.releaseScratch()   // the trained model now holds only its weights
    /// ```
    public func releaseScratch() {
        encoder.releaseScratch()
        decoder.releaseScratch()
        meanHead?.releaseScratch()
        logVarHead?.releaseScratch()
        for buffer in [meanStorage, logVarStorage, epsilon, z, zGradient, meanGradient, logVarGradient, hGradient, hGradientFromLogVar] {
            buffer.release()
        }
        perSampleLoss.release()
    }

    var allLayers: [Layer] {
        encoder.layers + [meanHead, logVarHead].compactMap { $0 } + decoder.layers
    }

    // MARK: - Training: forward and backward of one batch

    /// Forward pass on `x` [batch, inputSize]; when `train` is set, also the backward pass,
    /// after zeroing the gradients. ε is drawn from `rng` (VAE).
    func step(_ x: UnsafePointer<Float>, batch: Int, rng: inout RandomGenerator, train: Bool) -> LossParts {
        // Gradients accumulate: they start at zero and `Optimizer.step` zeroes them again.
        let d = architecture.inputSize
        let latent = architecture.latent
        let h = encoder.forward(x, batch: batch)
        let code: UnsafePointer<Float>

        // VAE: z = mean + exp(logvar / 2) · ε   [batch, latent]
        var mean: UnsafeMutablePointer<Float>?
        var logVar: UnsafeMutablePointer<Float>?
        if let meanHead, let logVarHead {
            let means = meanStorage.pointer(batch: batch), logVars = logVarStorage.pointer(batch: batch)
            meanHead.forward(h, means, batch: batch)
            logVarHead.forward(h, logVars, batch: batch)
            let eps = epsilon.pointer(batch: batch), zs = z.pointer(batch: batch)
            for i in 0..<(batch * latent) {
                eps[i] = Float(rng.normal()) * architecture.epsilonStd
                zs[i] = means[i] + Exponential.exp(logVars[i] / 2) * eps[i]
            }
            mean = means
            logVar = logVars
            code = UnsafePointer(zs)
        } else {
            code = h
        }

        let prediction = decoder.forward(code, batch: batch)

        // Loss: the autoencoder averages over pixels (Keras's mse / binary_crossentropy); the
        // VAE sums over pixels (a log-likelihood) and adds β · KL; both average over the batch.
        let perValueScale: Float = architecture.kind == .autoencoder ? 1 / Float(batch * d) : 1 / Float(batch)
        let dPrediction = train ? decoder.outputGradient(batch: batch) : nil
        var reconstruction = Losses.reconstruction(architecture.loss, prediction: prediction, target: x,
                                                   samples: batch, size: d, gradient: dPrediction, scale: perValueScale,
                                                   perSample: perSampleLoss.pointer(batch: batch))
        reconstruction /= architecture.kind == .autoencoder ? Double(batch * d) : Double(batch)

        var kl = 0.0
        if let mean, let logVar {
            let dz = zGradient.pointer(batch: batch)
            let dm = meanGradient.pointer(batch: batch), dlv = logVarGradient.pointer(batch: batch)
            if train {
                decoder.backward(code, batch: batch, inputGradient: dz)
                // dL/dmean = dL/dz;  dL/dlogvar = dL/dz · ε · exp(logvar / 2) / 2
                let eps = epsilon.pointer(batch: batch)
                for i in 0..<(batch * latent) {
                    dm[i] = dz[i]
                    dlv[i] = dz[i] * eps[i] * 0.5 * Exponential.exp(logVar[i] / 2)
                }
            }
            let beta = architecture.beta
            kl = Losses.kl(mean: mean, logVar: logVar, count: batch * latent,
                           meanGradient: train ? dm : nil, logVarGradient: train ? dlv : nil,
                           scale: beta / Float(batch)) / Double(batch)
            if train, let meanHead, let logVarHead {
                let dh = hGradient.pointer(batch: batch), dh2 = hGradientFromLogVar.pointer(batch: batch)
                meanHead.backward(input: h, output: mean, outputGradient: dm, inputGradient: dh, batch: batch)
                logVarHead.backward(input: h, output: logVar, outputGradient: dlv, inputGradient: dh2, batch: batch)
                Parallel.add(dh2, into: dh, count: batch * encoder.outputSize)
                if !encoder.layers.isEmpty {
                    encoder.outputGradient(batch: batch).update(from: dh, count: batch * encoder.outputSize)
                    encoder.backward(x, batch: batch, inputGradient: nil)
                }
            }
            return LossParts(total: reconstruction + Double(beta) * kl, reconstruction: reconstruction, kl: kl)
        }

        if train {
            decoder.backward(code, batch: batch, inputGradient: encoder.layers.isEmpty ? nil : encoder.outputGradient(batch: batch))
            if !encoder.layers.isEmpty { encoder.backward(x, batch: batch, inputGradient: nil) }
        }
        return LossParts(total: reconstruction, reconstruction: reconstruction, kl: 0)
    }
}
