import Foundation
import XCTest

/// `check` builds every model symbolically on its data's shape and knows the memory budget;
/// `run` refuses the same labs before loading anything.
final class PreflightTests: XCTestCase {
    private static let lab = """
    # Models that cannot train

    ```swift-lab load
    dataset: mnist
    split: test
    as: digits
    ```

    ```swift-lab split
    data: digits
    parts: { train: 0.5, test: 0.5 }
    ```

    ```swift-lab train
    data: train
    model: autoencoder
    encoder: [flatten, dense 64 relu]
    latent: 32
    decoder: [dense 784 sigmoid]
    epochs: 1
    as: wrong_latent
    ```

    ```swift-lab train
    data: train
    model: vae
    encoder: [flatten, dense 64 relu]
    latent: 2
    decoder: [dense 961 sigmoid, reshape 31x31x1]
    loss: mse
    epochs: 1
    as: wrong_output
    ```

    ```swift-lab train
    data: digits
    model: vae
    encoder: [flatten, dense 2000000 relu]
    latent: 2
    decoder: [dense 784 sigmoid]
    epochs: 1
    batch: 64
    as: too_big
    ```

    ```swift-lab train
    data: digits
    model: vae
    encoder: [flatten, dense 16 relu]
    latent: 2
    decoder: [dense 784 relu]
    epochs: 1
    as: bce_without_sigmoid
    ```

    ```swift-lab train
    data: digits
    model: vae
    encoder: [flatten, dense 16 relu]
    latent: 60000
    decoder: [dense 784 sigmoid]
    epochs: 1
    as: huge_latent
    ```

    """

    func testCheckReportsEveryModelThatCannotTrainAtItsKey() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-preflight")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("models.md").path
        try Self.lab.write(toFile: path, atomically: false, encoding: .utf8)
        let expected = """
        \(path):18:1: error: cannot build the model: the encoder ends with 64 values ((None, 64)), but the latent size is 32; for an autoencoder they must match
        \(path):29:1: error: cannot build the model: the decoder ends with 961 values ((None, 31, 31, 1)), but the input has 784 ((None, 28, 28, 1))
        \(path):42:1: error: cannot build the model: this model needs 24.5 GiB to train (1578002356 parameters with their gradients and optimiser state, a batch of 64's activations, and 2×2 latent statistics); the limit is 2.0 GiB, set SWIFT_LAB_MAX_MODEL_BYTES to raise it
        \(path):51:1: error: cannot build the model: loss 'bce' needs the decoder to end in a sigmoid (its last layer, or the last before a flatten or reshape), so outputs are probabilities
        \(path):61:1: error: cannot build the model: this model needs 81.3 GiB to train (49093344 parameters with their gradients and optimiser state, a batch of 32's activations, and 60000×60000 latent statistics); the limit is 2.0 GiB, set SWIFT_LAB_MAX_MODEL_BYTES to raise it

        """
        let check = try swiftLab.run(["check", path])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, expected)

        let run = try swiftLab.run(["run", "--no-cache", "--out", directory.path, path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, expected, "run refuses what check refuses, before loading or training")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("models.html").path))

        let raised = try swiftLab.run(["check", path], environment: ["SWIFT_LAB_MAX_MODEL_BYTES": "\(1 << 40)"])
        XCTAssertFalse(raised.stdout.contains("this model needs"), "a 1 TiB limit admits both: \(raised.stdout)")
        XCTAssertEqual(raised.stdout.split(separator: "\n").count, 3, raised.stdout)
    }
}
