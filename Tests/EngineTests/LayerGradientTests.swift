import XCTest
@testable import Engine

final class LayerGradientTests: XCTestCase {
    func testDense() {
        for activation in [Activation.linear, .tanh, .sigmoid] {
            GradientCheck.check(Dense(inputShape: [5], units: 4, activation: activation))
        }
        // Kinked activations: checked on a linear layer so no pre-activation sits near the kink.
        GradientCheck.check(ActivationLayer(inputShape: [6], activation: .relu), inputAwayFromZero: true)
        GradientCheck.check(ActivationLayer(inputShape: [6], activation: .leakyReLU(alpha: 0.3)), inputAwayFromZero: true)
        GradientCheck.check(ActivationLayer(inputShape: [6], activation: .tanh))
        GradientCheck.check(Dense(inputShape: [2, 3, 1], units: 3, activation: .sigmoid))
    }

    func testConv2D() throws {
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([5, 5, 2], 3, (3, 3), (1, 1), .valid),
            ([5, 5, 2], 3, (3, 3), (1, 1), .same),
            ([6, 6, 1], 2, (3, 3), (2, 2), .same),
            ([7, 6, 2], 2, (3, 2), (2, 1), .same),
            ([7, 7, 2], 2, (3, 3), (2, 2), .valid),
            ([4, 4, 3], 2, (4, 4), (1, 1), .valid),
            // One channel and 16 filters: every product goes to the small-product kernels.
            ([6, 5, 1], 16, (3, 3), (1, 1), .same),
            // 16 channels: the input gradient is scattered as it is multiplied.
            ([5, 5, 16], 3, (3, 3), (2, 2), .same),
            ([5, 6, 16], 2, (1, 3), (3, 2), .valid),
        ]
        for (shape, filters, kernel, stride, padding) in cases {
            GradientCheck.check(try Conv2D(inputShape: shape, filters: filters, kernel: kernel, stride: stride, padding: padding, activation: .tanh))
        }
    }

    func testConv2DTranspose() throws {
        let cases: [([Int], Int, (Int, Int), (Int, Int), Padding)] = [
            ([3, 3, 2], 2, (3, 3), (1, 1), .valid),
            ([3, 3, 2], 2, (3, 3), (2, 2), .same),
            ([3, 3, 2], 1, (5, 5), (2, 2), .same),
            ([2, 3, 1], 2, (3, 2), (2, 1), .valid),
            ([1, 1, 2], 3, (4, 4), (1, 1), .valid),
            // 16 channels to one filter: every product goes to the small-product kernels.
            ([4, 5, 16], 1, (3, 3), (1, 1), .same),
            // 16 filters: the forward pass scatters as it multiplies.
            ([3, 3, 2], 16, (3, 3), (2, 2), .same),
        ]
        for (shape, filters, kernel, stride, padding) in cases {
            GradientCheck.check(try Conv2DTranspose(inputShape: shape, filters: filters, kernel: kernel, stride: stride, padding: padding, activation: .sigmoid))
        }
    }

    func testShapeLayers() throws {
        GradientCheck.check(Reshape.flatten(inputShape: [2, 2, 3]))
        GradientCheck.check(try Reshape(inputShape: [12], outputShape: [2, 3, 2]))
        XCTAssertThrowsError(try Reshape(inputShape: [12], outputShape: [5, 2]))
    }

    func testModelsIncludingLosses() throws {
        let dense: [LayerConfig] = [.dense(units: 5, activation: .tanh)]
        let aeBCE = Architecture(kind: .autoencoder, inputShape: [6], encoder: dense + [.dense(units: 2, activation: .tanh)], latent: 2,
                                 decoder: [.dense(units: 5, activation: .tanh), .dense(units: 6, activation: .sigmoid)], loss: .bce)
        GradientCheck.check(try Model(aeBCE, seed: 1))
        var aeMSE = aeBCE
        aeMSE.loss = .mse
        GradientCheck.check(try Model(aeMSE, seed: 2))

        let vae = Architecture(kind: .vae, inputShape: [6], encoder: dense, latent: 2,
                               decoder: [.dense(units: 5, activation: .tanh), .dense(units: 6, activation: .sigmoid)], loss: .bce, beta: 1)
        GradientCheck.check(try Model(vae, seed: 3))
        var vaeGaussian = vae
        vaeGaussian.loss = .mse
        vaeGaussian.beta = 0.5
        vaeGaussian.epsilonStd = 0.7
        GradientCheck.check(try Model(vaeGaussian, seed: 4))
        var vaeNoKL = vae
        vaeNoKL.beta = 0
        GradientCheck.check(try Model(vaeNoKL, seed: 5))
    }

    func testConvolutionalVAEGradient() throws {
        let architecture = Architecture(
            kind: .vae, inputShape: [6, 6, 1],
            encoder: [.conv(filters: 2, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .tanh), .flatten, .dense(units: 4, activation: .tanh)],
            latent: 2,
            decoder: [.dense(units: 18, activation: .tanh), .reshape([3, 3, 2]),
                      .deconv(filters: 2, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .tanh),
                      .deconv(filters: 1, kernel: (3, 3), stride: (1, 1), padding: .same, activation: .sigmoid)],
            loss: .bce)
        GradientCheck.check(try Model(architecture, seed: 7), batch: 2)
    }
}
