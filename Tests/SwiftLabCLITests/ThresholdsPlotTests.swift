import Foundation
import XCTest

/// `plot kind: thresholds`: precision, recall and F1 against the threshold, drawn from the same
/// counts as the confusion matrix at each threshold.
final class ThresholdsPlotTests: XCTestCase {
    func testThresholdsPlotDrawsPrecisionRecallAndF1() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-thresholds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "thresholds", title: "Thresholds", moreSteps: """
        ```swift-lab split
        data: tiny
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: gaussian
        fit: tiny
        data: marked
        as: s
        ```

        ```swift-lab plot
        kind: thresholds
        scores: s
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("thresholds.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<title>Precision, recall and F1 by threshold</title>"))
        for series in ["precision", "recall", "F1"] { XCTAssertTrue(html.contains(">\(series)</text>"), series) }
        XCTAssertTrue(html.contains("Threshold (gaussian)"))
    }

    /// A lab that asks for it without scores is refused by check, at the key.
    func testThresholdsPlotNeedsScores() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-thresholds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "bare", title: "Bare", moreSteps: "```swift-lab plot\nkind: thresholds\n```\n")
        let result = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("bare.md:9:1: error: missing key 'scores', which kind: thresholds needs"), result.stdout)
    }

    /// Only ROC and PR curves compare scores; another kind given several is refused, not drawn
    /// from the first alone.
    func testOneScorePlotsRefuseSeveralScores() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-thresholds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "several", title: "Several", moreSteps: """
        ```swift-lab score
        method: gaussian
        fit: tiny
        data: tiny
        as: a
        ```

        ```swift-lab score
        method: kde
        fit: tiny
        data: tiny
        as: b
        ```

        ```swift-lab plot
        kind: histogram
        scores: [a, b]
        ```
        """)
        let result = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("several.md:24:1: error: a histogram plot draws one score, but 'scores' names 2; give one (roc and pr plots compare several)"), result.stdout)
    }
}
