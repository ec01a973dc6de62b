import Randomness
/// Using a trained model: encode, decode, reconstruct, sample. Every call works through the data
/// in batches and returns plain arrays, sample after sample.
extension Model {
    /// Samples per forward pass at inference.
    static let inferenceBatch = 256

    /// The latent code of each sample: the encoder's output (autoencoder) or the mean of q(z|x)
    /// (VAE). Returns [count, latent].
    public func encode(_ x: UnsafePointer<Float>, count: Int) -> [Float] {
        encodeDistribution(x, count: count).mean
    }

    /// The mean and log-variance of q(z|x) for each sample, [count, latent] each (the
    /// log-variance is empty for an autoencoder).
    public func encodeDistribution(_ x: UnsafePointer<Float>, count: Int) -> (mean: [Float], logVar: [Float]) {
        let latent = architecture.latent, d = architecture.inputSize
        var mean = [Float](repeating: 0, count: count * latent)
        var logVar = [Float](repeating: 0, count: meanHead == nil ? 0 : count * latent)
        forEachBatch(count) { start, batch in
            let h = encoder.forward(x + start * d, batch: batch)
            mean.withUnsafeMutableBufferPointer { m in
                if let meanHead {
                    meanHead.forward(h, m.baseAddress! + start * latent, batch: batch)
                } else {
                    (m.baseAddress! + start * latent).update(from: h, count: batch * latent)
                }
            }
            if let logVarHead {
                logVar.withUnsafeMutableBufferPointer { logVarHead.forward(h, $0.baseAddress! + start * latent, batch: batch) }
            }
        }
        return (mean, logVar)
    }

    /// Decodes latent codes [count, latent] to outputs [count, inputSize] (pixel means).
    public func decode(_ codes: UnsafePointer<Float>, count: Int) -> [Float] {
        let latent = architecture.latent, d = architecture.inputSize
        var output = [Float](repeating: 0, count: count * d)
        output.withUnsafeMutableBufferPointer { out in
            forEachBatch(count) { start, batch in
                let y = decoder.forward(codes + start * latent, batch: batch)
                let dst = out.baseAddress! + start * d
                dst.update(from: y, count: batch * d)
                outputActivation.forward(dst, count: batch * d)
            }
        }
        return output
    }

    /// Reconstructions [count, inputSize]. A VAE decodes the mean of q(z|x), or a sample of z
    /// when `rng` is given.
    public func reconstruct(_ x: UnsafePointer<Float>, count: Int, sampling rng: inout RandomGenerator?) -> [Float] {
        var (codes, logVar) = encodeDistribution(x, count: count)
        if var generator = rng, !logVar.isEmpty {
            for i in codes.indices {
                codes[i] += Exponential.exp(logVar[i] / 2) * Float(generator.normal()) * architecture.epsilonStd
            }
            rng = generator
        }
        return codes.withUnsafeBufferPointer { decode($0.baseAddress!, count: count) }
    }

    /// Reconstructions through the code or the posterior mean (deterministic).
    public func reconstruct(_ x: UnsafePointer<Float>, count: Int) -> [Float] {
        var none: RandomGenerator? = nil
        return reconstruct(x, count: count, sampling: &none)
    }

    /// Images decoded from z ~ N(0, I), [count, inputSize].
    public func samplePrior(count: Int, rng: inout RandomGenerator) -> [Float] {
        let codes = (0..<(count * architecture.latent)).map { _ in Float(rng.normal()) }
        return codes.withUnsafeBufferPointer { decode($0.baseAddress!, count: count) }
    }

    /// The mean loss per sample of `x` (what training minimises), without changing the model.
    public func loss(_ x: UnsafePointer<Float>, count: Int, rng: inout RandomGenerator) -> LossParts {
        var sum = LossParts.zero
        forEachBatch(count) { start, batch in
            let parts = step(x + start * architecture.inputSize, batch: batch, rng: &rng, train: false)
            sum.total += parts.total * Double(batch)
            sum.reconstruction += parts.reconstruction * Double(batch)
            sum.kl += parts.kl * Double(batch)
        }
        let n = Double(max(count, 1))
        return LossParts(total: sum.total / n, reconstruction: sum.reconstruction / n, kl: sum.kl / n)
    }

    private func forEachBatch(_ count: Int, _ body: (Int, Int) -> Void) {
        var start = 0
        while start < count {
            let batch = min(Self.inferenceBatch, count - start)
            body(start, batch)
            start += batch
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
