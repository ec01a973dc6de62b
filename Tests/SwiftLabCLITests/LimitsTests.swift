import Foundation
import XCTest

/// Numbers at the edges: each is one clear error at its key, or works, never a trap, a hang, a
/// raw Foundation error or a silently wrong chart.
final class LimitsTests: XCTestCase {
    private var directory: URL!
    override func setUpWithError() throws { directory = try SwiftLabProcess.temporaryDirectory("swift-lab-limits") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// Writes `NAME.md`: `frontMatter` (if any) first, then a heading, then `steps` from line 3
    /// (or from line 3 after the front matter).
    private func lab(_ name: String, frontMatter: String = "", _ steps: String) throws -> String {
        let path = directory.appendingPathComponent("\(name).md").path
        try "\(frontMatter)# \(name)\n\n\(steps)\n".write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    private func table(_ name: String, header: String, rows: [String]) throws {
        try ([header] + rows).joined(separator: "\n").appending("\n")
            .write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }

    /// A threshold far out is a number like any other; one that works out to infinity is refused.
    func testThresholdsAtTheEdgesOfDouble() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        func run(_ rule: String) throws -> SwiftLabProcess.Result {
            let path = try lab("threshold", "```swift-lab load\ndataset: mnist\nsplit: test\nlimit: 100\nas: t\n```\n\n```swift-lab score\nmethod: gaussian\nfit: t\ndata: t\nthreshold: \(rule)\nas: s\n```")
            return try swiftLab.run(["run", "--no-cache", "--out", directory.path, path])
        }
        let far = try run("{ value: -1e308 }")
        XCTAssertEqual(far.status, 0, far.stderr)
        let infinite = try run("{ sigma: 1e308 }")
        XCTAssertEqual(infinite.status, 1)
        XCTAssertTrue(infinite.stderr.hasSuffix("threshold.md:14:1: error: the threshold works out to inf, not a number a score can be compared with\n"), infinite.stderr)
    }

    /// PCA and the full Gaussian hold a d×d covariance: data wider than 4,096 features is refused
    /// at the step instead of taking gigabytes and minutes.
    func testCovarianceBaselinesRefuseVeryWideData() throws {
        let swiftLab = try SwiftLabProcess()
        let width = 5_000
        let row = (0..<width).map { _ in "0.5" }.joined(separator: ",")
        try table("wide.csv", header: (0..<width).map { "f\($0)" }.joined(separator: ",") + ",label", rows: ["\(row),a", "\(row),b", "\(row),a"])
        let path = try lab("wide", "```swift-lab load\ndataset: wide.csv\nas: w\n```\n\n```swift-lab score\nmethod: multivariate-gaussian\nfit: w\ndata: w\nas: s\n```")
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasSuffix("wide.md:9:1: error: multivariate-gaussian fits a 5000×5000 covariance; it takes at most 4096 features (use gaussian, kde or isolation-forest on data this wide)\n"), result.stderr)
    }

    /// check reads a CSV header of any length, with or without a byte-order mark, and gets the
    /// width that run will see.
    func testCheckReadsLongHeadersAsRunDoes() throws {
        let swiftLab = try SwiftLabProcess()
        let width = 12_000
        let names = (0..<width).map { "feature_\($0)" }.joined(separator: ",")
        let row = (0..<width).map { _ in "0" }.joined(separator: ",")
        try table("last.csv", header: names + ",label", rows: ["\(row),a"])
        try table("first.csv", header: "\u{FEFF}label," + names, rows: ["a,\(row)"])
        for file in ["last.csv", "first.csv"] {
            let path = try lab("header", "```swift-lab load\ndataset: \(file)\nas: d\n```\n\n```swift-lab train\ndata: d\nmodel: autoencoder\nencoder: [dense 2]\nlatent: 2\ndecoder: [dense \(width - 1)]\nepochs: 1\nas: m\n```")
            let check = try swiftLab.run(["check", path])
            XCTAssertEqual(check.status, 1, file)
            XCTAssertTrue(check.stdout.contains("but the input has \(width) ((None, \(width)))"), "\(file): \(check.stdout)")
        }
    }

    /// Keys whose extremes would overflow or mislead are bounded where they are written.
    func testCheckBoundsSpanLatentAndChallengeSettings() throws {
        let swiftLab = try SwiftLabProcess()
        let path = try lab("bounds", frontMatter: "---\nparams: { digit: 5 }\n---\n", """
        ```swift-lab load
        dataset: mnist
        as: d
        ```

        ```swift-lab train
        data: d
        model: vae
        encoder: [flatten, dense 8 relu]
        latent: 100000
        decoder: [dense 784 sigmoid]
        epochs: 1
        as: m
        ```

        ```swift-lab plot
        kind: manifold
        model: m
        data: d
        span: 1e308
        ```

        ```swift-lab score
        method: elbo
        model: m
        data: d
        as: e
        ```

        ```swift-lab challenge
        title: Digits
        prompt: Which digit?
        vary: { digit: [1, 2] }
        with: { digit: 3 }
        measure: e.auc
        ```
        """)
        let check = try swiftLab.run(["check", path])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, """
        \(path):15:9: error: 'latent' must be at most 65536, got 100000
        \(path):25:7: error: 'span' must be at most 1000, got 1e+308
        \(path):39:9: error: 'digit' is varied by 'vary'; 'with' sets the other parameters every value runs with

        """)
    }
}
