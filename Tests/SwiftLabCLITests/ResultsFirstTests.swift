import Foundation
import XCTest

/// The report opens with its results: every score's headline metrics and every challenge's
/// outcome under the header, a banner saying what `--quick` shrank, and a banner linking to a
/// step that failed.
final class ResultsFirstTests: XCTestCase {
    func testSummaryAndQuickBannerComeBeforeTheSteps() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "summary", title: "Summary", moreSteps: """
        ```swift-lab split
        data: tiny
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: isolation-forest
        fit: tiny
        data: marked
        trees: 300
        as: forest
        ```

        ```swift-lab challenge
        title: Fewer trees
        prompt: Does the forest need 300 trees?
        vary: { trees: [10, 20] }
        measure: forest.auc
        expect: auc >= 0
        ```
        """.replacingOccurrences(of: "trees: 300", with: "trees: ${trees}"))
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# Summary\n", with: "---\nparams: { trees: 300 }\n---\n# Summary\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        let result = try swiftLab.run(["run", "--quick", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("summary.html"), encoding: .utf8)
        let summary = try XCTUnwrap(html.range(of: "<section class=\"summary\" id=\"summary\">"))
        let firstStep = try XCTUnwrap(html.range(of: "<section class=\"step "))
        XCTAssertLessThan(summary.lowerBound, firstStep.lowerBound, "results come before the steps")
        let head = String(html[..<firstStep.lowerBound])
        XCTAssertTrue(head.contains("<td>forest</td>\n<td>isolation-forest</td>"), "the score's metrics")
        XCTAssertTrue(head.contains("<td>Fewer trees</td>\n<td>forest.auc</td>\n<td>2 of 2 values of trees pass auc &gt;= 0"), head)
        XCTAssertTrue(head.contains("A quick run (--quick): 100 trees of 300 (line 17); every challenge value, training at most 1 epoch each (line 25)."), head)
        XCTAssertTrue(head.contains("<a href=\"#summary\">Results</a>"), "the contents start with the results")
    }

    func testAFailedStepIsAnnouncedAndLinked() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Scores of one class only: the ROC curve needs both, which only the data can tell.
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "failing", title: "Failing", moreSteps: """
        ```swift-lab score
        method: gaussian
        fit: tiny
        data: tiny
        as: s
        ```

        ```swift-lab plot
        kind: roc
        scores: s
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 1)
        let html = try String(contentsOf: directory.appendingPathComponent("failing.html"), encoding: .utf8)
        let header = String(html[..<(html.range(of: "</header>")?.lowerBound ?? html.endIndex)])
        XCTAssertTrue(header.contains("<p class=\"notice notice-failure\" role=\"status\">Step 3 (plot roc, line 15) failed: "), header)
        XCTAssertTrue(header.contains("<a href=\"#step-4\">Go to the step</a>"), header)
        XCTAssertTrue(html.contains("id=\"step-4\""))
        XCTAssertFalse(header.contains("class=\"notice notice-quick"), "a full run has no quick banner")
    }

    /// A challenge value whose run fails counts among the values the summary reports.
    func testAChallengeValueThatFailsIsCounted() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try Self.labOverTwoFiles(in: directory)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("challenge \"Other files\": 1 of 2 values of file pass auc >= 0; 1 of 2 values could not be measured (see the challenge)"), result.stderr)
        // In the report: marked as failed in the table and the chart, its error under the table
        // with the line it happened at, and no raw diagnostic in a cell.
        let html = try String(contentsOf: directory.appendingPathComponent("values.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<td>bad.csv</td>\n<td>failed</td>\n<td>–</td>"), html)
        XCTAssertNil(html.range(of: "<td>[^<]*error:", options: .regularExpression), "a raw diagnostic in a table cell")
        XCTAssertNotNil(html.range(of: "Failed: file = bad.csv: line [0-9]+: ", options: .regularExpression), "the failure under the table")
        XCTAssertTrue(html.contains(">failed</text>"), "the bar chart marks the value that failed")
    }

    /// With published values, the measured value that failed is marked beside its published one.
    func testAFailedValueStaysInTheChartBesidePublishedValues() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try Self.labOverTwoFiles(in: directory, challengeEnd: "published: [0.9, 0.8]\n")
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("values.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<td>bad.csv</td>\n<td>failed</td>\n<td>0.8000</td>\n<td>–</td>"), html)
        XCTAssertTrue(html.contains("measured and published</title>"), "the chart of measured and published values")
        XCTAssertTrue(html.contains(">failed</text>"), "the value that failed is marked in it")
    }

    /// A challenge without `expect` has no column for it.
    func testAChallengeWithoutExpectationHasNoEmptyColumn() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "noexpect", title: "No expectation", moreSteps: """
        ```swift-lab split
        data: tiny
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: isolation-forest
        fit: tiny
        data: marked
        trees: 300
        as: forest
        ```

        ```swift-lab challenge
        title: Fewer trees
        prompt: Does the forest need 300 trees?
        vary: { trees: [10, 20] }
        measure: forest.auc
        ```
        """.replacingOccurrences(of: "trees: 300", with: "trees: ${trees}"))
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# No expectation\n", with: "---\nparams: { trees: 300 }\n---\n# No expectation\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        let result = try swiftLab.run(["run", "--quick", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("noexpect.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<th>trees</th>\n<th>forest.auc</th>\n</tr>"), html)
        XCTAssertFalse(html.contains("<th></th>"), "an empty column")
    }

    /// A lab whose challenge varies its data file over a good CSV and one with a text value where
    /// a number belongs, so that the second value's run fails; `challengeEnd` adds keys to the challenge.
    private static func labOverTwoFiles(in directory: URL, challengeEnd: String = "") throws -> URL {
        try "area,label\n1,a\n2,b\n3,a\n9,b\n".write(to: directory.appendingPathComponent("good.csv"), atomically: false, encoding: .utf8)
        try "area,label\n1,a\nwide,b\n".write(to: directory.appendingPathComponent("bad.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("values.md")
        try """
        ---
        params: { file: good.csv }
        ---
        # Values

        ```swift-lab load
        dataset: ${file}
        as: rows
        ```

        ```swift-lab split
        data: rows
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: gaussian
        fit: rows
        data: marked
        as: s
        ```

        ```swift-lab challenge
        title: Other files
        prompt: Try another file.
        vary: { file: [good.csv, bad.csv] }
        measure: s.auc
        expect: auc >= 0
        \(challengeEnd)```
        """.write(to: lab, atomically: false, encoding: .utf8)
        return lab
    }
}
