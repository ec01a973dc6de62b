import CZlib
import Engine
import Foundation
import Randomness

/// The input-complexity correction of Serrà et al. (ICLR 2020, "Input Complexity and
/// Out-of-Distribution Detection with Likelihood-based Generative Models"):
///
///     S(x) = −log₂ p(x) − L(x),
///
/// both in bits. −log₂ p(x) is the VAE's negated ELBO (from `samples` draws of z), converted from
/// nats by dividing by ln 2. L(x) is the length in bits of the image written as 8 bits per value
/// (round(255·x)) and compressed losslessly by zlib at its highest level (9), the zlib stream's
/// six bytes of header and checksum included: a generic compressor's estimate of how complex the
/// image is, knowing nothing of the training data. A likelihood model finds simple images
/// (mostly black, smooth) likely whatever they show; S subtracts what any compressor would
/// find, and keeps what the model knows beyond that. Serrà et al. compress with PNG, FLIF or JPEG2000;
/// zlib is PNG's compressor without its row filters.
///
/// A Bernoulli decoder's likelihood of grey levels is not a probability of the 8-bit image, so
/// the two terms share a unit but not a code: S compares them as the paper does, and a report
/// shows both beside S.
///
/// ```swift
/// InputComplexity.compressedBits([Float](repeating: 0, count: 784))   // 128: 10 bytes of deflate, 6 of header and checksum
/// ```
public struct InputComplexity: SampleScorer {
    /// Draws of z per image for the ELBO.
    public var samples: Int

    public init(samples: Int) { self.samples = samples }

    public func scores(_ input: ScoreInput) throws -> ScoredSamples {
        let model = try input.requireModel(for: "input-complexity")
        var rng = RandomGenerator(seed: input.seed)
        let nats = try ModelScore.elbo(samples: samples).scores(model: model, input.samples, count: input.count, rng: &rng)
        let bits = nats.map { $0 / log(2) }
        let lengths = (0..<input.count).map { Self.compressedBits(input.sample($0)) }
        let corrected = zip(bits, lengths).map { $0 - $1 }
        return ScoredSamples(values: corrected, terms: [.init(name: "−log₂ p(x) (bits)", values: bits), .init(name: "L(x) (bits)", values: lengths),
                                                        .init(name: "S = −log₂ p(x) − L(x)", values: corrected)])
    }

    /// L(x): the bits of zlib's level-9 stream of the image as bytes round(255·x), values
    /// clipped to [0, 1] first.
    public static func compressedBits<Values: Collection>(_ image: Values) -> Double where Values.Element == Float {
        let bytes = image.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = compress2(&out, &length, bytes, uLong(bytes.count), 9)
        // compress2 fails only without memory or with an output buffer below compressBound.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        return Double(length) * 8
    }
}
