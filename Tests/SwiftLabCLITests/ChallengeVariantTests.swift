import Foundation
import XCTest

/// A challenge's variant runs only the steps its measure depends on, and published values stand
/// beside the measured ones.
final class ChallengeVariantTests: XCTestCase {
    func testAVariantDoesNotRetrainAModelItsMeasureDoesNotRead() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-variants")
        defer { try? FileManager.default.removeItem(at: directory) }
        try "area,label\n1,a\n2,b\n3,a\n".write(to: directory.appendingPathComponent("tiny.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("variants.md")
        try """
        ---
        params: { width: 1 }
        ---
        # Variants

        ```swift-lab load
        dataset: tiny.csv
        as: tiny
        ```

        ```swift-lab split
        data: tiny
        holdout: [b]
        as: mixed
        ```

        ```swift-lab train
        model: autoencoder
        data: mixed
        encoder: [dense 1 linear]
        latent: 1
        decoder: [dense 1 linear]
        epochs: 1
        as: measured
        ```

        ```swift-lab train
        model: autoencoder
        data: mixed
        encoder: [dense ${width} linear]
        latent: ${width}
        decoder: [dense 1 linear]
        epochs: 1
        as: other
        ```

        ```swift-lab score
        method: reconstruction-error
        model: measured
        data: mixed
        as: errors
        ```

        ```swift-lab challenge
        title: Widths
        prompt: The width of a model the score does not use.
        vary: { width: [2, 3] }
        measure: errors.auc
        published: [0.5, 0.25]
        ```

        """.write(to: lab, atomically: false, encoding: .utf8)
        let cache = directory.appendingPathComponent("cache").path
        _ = try swiftLab.succeed(["run", "--cache", cache, "--out", directory.path, lab.path])
        // The lab's own run stores 'measured', 'other' and 'errors'; the variants, which would
        // each have trained another 'other', store nothing.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".entry") }.count, 3)
        // Both values were measured, and alike: the varied model does not reach the score.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("variants.json"))) as? [String: Any]
        let challenge = (json?["results"] as? [[String: Any]])?.first { $0["step"] as? String == "challenge" }
        let values = challenge?["values"] as? [[String: Any]] ?? []
        XCTAssertEqual(values.compactMap { $0["value"] as? String }, ["2", "3"])
        let aucs = values.compactMap { $0["auc"] as? Double }
        XCTAssertEqual(aucs.count, 2)
        XCTAssertEqual(aucs.first, aucs.last)
        // The published row stands beside the measured one, with both means.
        XCTAssertEqual(values.compactMap { $0["published"] as? Double }, [0.5, 0.25])
        let html = try String(contentsOf: directory.appendingPathComponent("variants.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<th>published</th>"), "a published column")
        XCTAssertTrue(html.contains("<td>0.3750</td>"), "the mean of the published values")
        XCTAssertTrue(html.contains("errors.auc for each width, measured and published"), "the grouped bar chart")
    }
}
