import Foundation
import XCTest

/// `check` proves each challenge variant as it proves the lab: a value that cannot build its
/// model is an error at that value (and `run` refuses the lab), and a lab whose challenges ask
/// for more variants than a lab may run is refused.
final class VariantPreflightTests: XCTestCase {
    private func lab(in directory: URL, latent: String, challenges: String) throws -> URL {
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "variants", title: "Variants", moreSteps: """
        ```swift-lab train
        model: autoencoder
        data: tiny
        encoder: [dense ${width} linear]
        latent: \(latent)
        decoder: [dense 1 linear]
        epochs: 1
        as: m
        ```

        ```swift-lab score
        method: reconstruction-error
        model: m
        data: tiny
        as: errors
        ```
        \(challenges)
        """)
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# Variants\n", with: "---\nparams: { width: 1 }\n---\n# Variants\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        return lab
    }

    private static func challenge(_ values: [Int]) -> String {
        "\n```swift-lab challenge\ntitle: Widths\nprompt: Wider?\nvary: { width: [\(values.map(String.init).joined(separator: ", "))] }\nmeasure: errors.auc\n```\n"
    }

    func testAValueThatCannotBuildItsModelIsAnErrorAtTheValue() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-variant-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The latent size is fixed at 1, so only width 1 builds an autoencoder.
        let lab = try lab(in: directory, latent: "1", challenges: Self.challenge([1, 3]))
        let check = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.contains("\(lab.path):31:20: error: with width = 3: cannot build the model: the encoder ends with 3 values"), check.stdout)
        XCTAssertFalse(check.stdout.contains("width = 1:"), "the value that builds is fine")
        let run = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("with width = 3: cannot build the model"), run.stderr)
        XCTAssertFalse(run.stderr.contains("[1/"), "nothing ran")

        // With the latent size following the width, every value builds.
        let fine = try self.lab(in: directory, latent: "${width}", challenges: Self.challenge([1, 3]))
        XCTAssertEqual(try swiftLab.run(["check", fine.path]).status, 0)
    }

    /// A value of the parameter's type that the lab's own checks refuse (a layer of 0 units) is
    /// an error at the value too, not a variant that fails only when its turn comes.
    func testAValueTheLabRefusesIsAnErrorAtTheValue() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-variant-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try lab(in: directory, latent: "${width}", challenges: Self.challenge([1, 0]))
        let check = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(check.status, 1, check.stdout)
        XCTAssertTrue(check.stdout.contains("\(lab.path):31:20: error: with width = 0: layer 'dense 0 linear': '0' is not the number of units"), check.stdout)
        let run = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("with width = 0: layer 'dense 0 linear'"), run.stderr)
        XCTAssertFalse(run.stderr.contains("[1/"), "nothing ran")
    }

    func testTooManyVariantsAreRefused() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-variant-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try lab(in: directory, latent: "${width}", challenges: (0..<6).map { _ in Self.challenge(Array(1...100)) }.joined())
        let check = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.contains("error: the challenges try 600 values in all, each a run of the lab; a lab may try at most 500"), check.stdout)
    }
}
