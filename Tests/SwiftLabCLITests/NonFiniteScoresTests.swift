import Foundation
import XCTest

/// Scores that are not numbers stop the run at the step that computed them.
final class NonFiniteScoresTests: XCTestCase {
    func testAScoreThatIsNotFiniteFailsItsOwnStep() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-nan")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "underflow", title: "Underflow", moreSteps: """
        ```swift-lab score
        method: kde
        fit: tiny
        data: tiny
        bandwidth: 1e-300
        as: density
        ```

        ```swift-lab plot
        kind: histogram
        scores: density
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasSuffix("\(lab.path):9:1: error: 2 of 2 'kde' scores are not finite (-nan): usually a model whose likelihood does not fit its data (such as a VAE trained with 'mse' scored by a Bernoulli likelihood), or a bandwidth or variance so small that every density underflows\n"), result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("underflow.html"), encoding: .utf8)
        XCTAssertFalse(html.contains(">nan<") || html.contains(">-nan<"), "no table cell holds a NaN")
        XCTAssertTrue(html.contains("Not run: an earlier step failed."), "the plot after it did not run")
    }
}
