import Foundation
import XCTest

/// Defaults the lab format documents work when the key is left out.
final class DocumentedDefaultsTests: XCTestCase {
    /// `threshold.on` defaults to the data the baseline was fitted on (or the model trained on).
    func testTheSigmaRuleDefaultsToTheTrainingData() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-defaults")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "sigma", title: "Sigma", moreSteps: """
        ```swift-lab score
        method: gaussian
        fit: tiny
        data: tiny
        threshold: { sigma: 3 }
        as: s
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("sigma.json"))) as? [String: Any]
        let score = (json?["results"] as? [[String: Any]])?.first { $0["step"] as? String == "score" }
        XCTAssertNotNil(score?["threshold"] as? Double, "the threshold was set from the fitted data")
    }
}
