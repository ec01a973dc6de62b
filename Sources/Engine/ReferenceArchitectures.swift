/// The architectures of the Keras notebooks the labs reproduce, for tests and benchmarks that
/// compare with Keras (parameter counts, speed).
public enum ReferenceArchitectures {
    /// Seed 000: MLP VAE 784-400-2, Bernoulli decoder.
    public static let mlpVAE = Architecture(kind: .vae, inputShape: [28, 28, 1], encoder: [.dense(units: 400, activation: .relu)], latent: 2,
                                     decoder: [.dense(units: 400, activation: .relu), .dense(units: 784, activation: .sigmoid)], loss: .bce)
    /// Seed 001: AE 784-64-16-64-784, MSE.
    public static let denseAE = Architecture(kind: .autoencoder, inputShape: [28, 28, 1],
                                      encoder: [.dense(units: 64, activation: .relu), .dense(units: 16, activation: .relu)], latent: 16,
                                      decoder: [.dense(units: 64, activation: .relu), .dense(units: 784, activation: .sigmoid)], loss: .mse)
    /// Seed 002: the Keras documentation's convolutional VAE, latent 3.
    public static let convVAE = Architecture(
        kind: .vae, inputShape: [28, 28, 1],
        encoder: [.conv(filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .conv(filters: 64, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .flatten, .dense(units: 16, activation: .relu)],
        latent: 3,
        decoder: [.dense(units: 7 * 7 * 64, activation: .relu), .reshape([7, 7, 64]),
                  .deconv(filters: 64, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .deconv(filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .deconv(filters: 1, kernel: (3, 3), stride: (1, 1), padding: .same, activation: .sigmoid)],
        loss: .bce)
    /// Seed 003: a student-style VAE 784-512-256-16.
    public static let studentVAE = Architecture(kind: .vae, inputShape: [28, 28, 1],
                                         encoder: [.dense(units: 512, activation: .relu), .dense(units: 256, activation: .relu)], latent: 16,
                                         decoder: [.dense(units: 256, activation: .relu), .dense(units: 512, activation: .relu), .dense(units: 784, activation: .sigmoid)],
                                         loss: .bce)
    /// Seed 004: convolutional AE with a 1×1×2 code.
    public static let convAE = Architecture(
        kind: .autoencoder, inputShape: [28, 28, 1],
        encoder: [.conv(filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .conv(filters: 64, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .conv(filters: 2, kernel: (7, 7), stride: (1, 1), padding: .valid, activation: .linear)],
        latent: 2,
        decoder: [.reshape([1, 1, 2]),
                  .deconv(filters: 64, kernel: (7, 7), stride: (1, 1), padding: .valid, activation: .relu),
                  .deconv(filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu),
                  .deconv(filters: 1, kernel: (7, 7), stride: (2, 2), padding: .same, activation: .linear)],
        loss: .mse)
}
