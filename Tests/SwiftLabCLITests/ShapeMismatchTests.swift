import Foundation
import XCTest

/// Data of one shape given to a model, baseline, transform or score list made for another: one
/// clear error at the step, never a trap or a chart of unrelated memory. (Each case trapped or
/// exited 0 with a wrong chart before.) Most are known before anything runs, so `check` gives
/// the same error and `run` refuses the lab; the rest (PCA's components against the data's width,
/// prior samples of a tabular model, the latent Gaussian's fit data) fail at their step.
final class ShapeMismatchTests: XCTestCase {
    /// Two tables of different widths, two halves of the wider one, and a small VAE trained on it.
    private static let common = """
    # Shapes

    ```swift-lab load
    dataset: table.csv
    as: table
    ```

    ```swift-lab load
    dataset: tiny.csv
    as: tiny
    ```

    ```swift-lab split
    data: table
    parts: { left: 0.5, right: 0.5 }
    ```

    ```swift-lab train
    data: table
    model: vae
    encoder: [dense 4 relu]
    latent: 2
    decoder: [dense 3 linear]
    loss: mse
    epochs: 1
    as: vae
    ```

    """

    private static let cases: [(steps: String, location: String, message: String)] = [
        ("""
        ```swift-lab score
        method: gaussian
        fit: table
        data: tiny
        as: s
        ```
        """, "31:1", "the baseline is fitted on 'table', whose samples have 3 values, but 'tiny' has 1; fit and score data of the same kind"),
        ("""
        ```swift-lab plot
        kind: reconstructions
        model: vae
        data: tiny
        ```
        """, "32:1", "model 'vae' takes samples of 3 values (it was trained on 'table'), but 'tiny' has samples of 1"),
        ("""
        ```swift-lab score
        method: reconstruction-error
        model: vae
        data: left
        as: s
        ```

        ```swift-lab plot
        kind: reconstructions
        model: vae
        data: right
        scores: s
        ```
        """, "40:1", "scores 's' were computed on 'left', not on 'right'; give 'data: left' or score 'right'"),
        ("""
        ```swift-lab split
        normal: table
        anomalies: { from: table, transform: rotate 90 }
        as: turned
        ```
        """, "31:1", "table holds rows of 3 features, not images; transforms apply to images only"),
        ("""
        ```swift-lab score
        method: pca
        fit: table
        data: table
        components: 1e300
        as: s
        ```
        """, "30:1", "PCA takes a fraction of variance below 1 or a whole number of components from 1 to 3 (the number of features), not 1e+300"),
        ("""
        ```swift-lab plot
        kind: samples
        model: vae
        ```
        """, "31:1", "samples are drawn as images, but model 'vae' makes rows of 3 features"),
        ("""
        ```swift-lab score
        method: latent-mahalanobis
        model: vae
        fit: tiny
        data: table
        as: s
        ```
        """, "33:1", "model 'vae' takes samples of 3 values (it was trained on 'table'), but 'tiny' has samples of 1"),
        ("""
        ```swift-lab score
        method: reconstruction-error
        model: vae
        data: left
        as: s0
        ```

        ```swift-lab plot
        kind: latent
        model: vae
        data: table
        color: score
        scores: s0
        ```
        """, "41:1", "scores 's0' were computed on 'left', not on 'table'; give 'data: left' or score 'table'"),
        ("""
        ```swift-lab train
        data: table
        validation: tiny
        model: autoencoder
        encoder: [dense 2 relu]
        latent: 2
        decoder: [dense 3 linear]
        epochs: 1
        as: ae
        ```
        """, "31:1", "the validation data 'tiny' has samples of 1 values, but the training data 'table' has 3"),
        ("""
        ```swift-lab plot
        kind: manifold
        model: vae
        data: tiny
        ```
        """, "32:1", "model 'vae' takes samples of 3 values (it was trained on 'table'), but 'tiny' has samples of 1"),
    ]

    func testEveryMismatchIsOneErrorAtItsStep() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-shapes")
        defer { try? FileManager.default.removeItem(at: directory) }
        try "f1,f2,f3,label\n1,2,3,0\n2,3,4,1\n3,4,5,0\n4,5,6,1\n5,5,5,0\n6,1,2,1\n7,2,2,0\n8,1,1,1\n"
            .write(to: directory.appendingPathComponent("table.csv"), atomically: false, encoding: .utf8)
        try "area,label\n1,a\n2,b\n3,a\n4,b\n".write(to: directory.appendingPathComponent("tiny.csv"), atomically: false, encoding: .utf8)
        for (index, testCase) in Self.cases.enumerated() {
            let lab = directory.appendingPathComponent("case\(index + 1).md")
            try (Self.common + "\n" + testCase.steps + "\n").write(to: lab, atomically: false, encoding: .utf8)
            // Run from the repository: the lab's CSV paths are relative to the lab, not to here.
            let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
            XCTAssertEqual(result.status, 1, "case \(index + 1): \(result.stderr)")
            let line = "\(lab.path):\(testCase.location): error: \(testCase.message)\n"
            XCTAssertTrue(result.stderr.hasSuffix(line), "case \(index + 1): \(result.stderr)")
            let check = try swiftLab.run(["check", lab.path])
            if Self.knownBeforeRunning.contains(index + 1) {
                XCTAssertEqual(check.stdout, line, "case \(index + 1): check knows it")
            } else {
                XCTAssertEqual(check.status, 0, "case \(index + 1): only the data tells: \(check.stdout)")
            }
        }
    }

    /// The cases `check` reports, from shapes and the names' provenance alone.
    private static let knownBeforeRunning: Set<Int> = [1, 2, 3, 4, 8, 9, 10]
}
