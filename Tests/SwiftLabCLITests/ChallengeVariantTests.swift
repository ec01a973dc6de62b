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

    /// `--quick` tries a challenge's first, middle and last values, trains each variant for one
    /// epoch (so the lab's own value is retrained too, like the others), and says so on the
    /// terminal, in the step and in the banner; a full run tries every value.
    func testQuickTriesTheFirstMiddleAndLastValuesForOneEpoch() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-quick-variants")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "sweep", title: "Sweep", moreSteps: """
        ```swift-lab split
        data: tiny
        holdout: [b]
        as: marked
        ```

        ```swift-lab train
        model: autoencoder
        data: marked
        encoder: [dense ${width} linear]
        latent: ${width}
        decoder: [dense 1 linear]
        epochs: 3
        as: m
        ```

        ```swift-lab score
        method: reconstruction-error
        model: m
        data: marked
        as: errors
        ```

        ```swift-lab challenge
        title: Widths
        prompt: Wider?
        vary: { width: [1, 2, 3, 4, 5] }
        measure: errors.auc
        ```
        """)
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# Sweep\n", with: "---\nparams: { width: 1 }\n---\n# Sweep\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        func triedValues() throws -> [String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("sweep.json"))) as? [String: Any]
            let challenge = (json?["results"] as? [[String: Any]])?.first { $0["step"] as? String == "challenge" }
            return (challenge?["values"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
        }
        let cache = directory.appendingPathComponent("cache").path
        let quick = try swiftLab.succeed(["run", "--quick", "--cache", cache, "--out", directory.path, lab.path])
        XCTAssertEqual(try triedValues(), ["1", "3", "5"])
        XCTAssertTrue(quick.stderr.contains("  variant 2/3: width = 3\n"), quick.stderr)
        XCTAssertTrue(quick.stderr.contains("  width = 3: errors.auc "), "each variant's value as it finishes: \(quick.stderr)")
        let html = try String(contentsOf: directory.appendingPathComponent("sweep.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("--quick tries 3 of its 5 values (the first, the middle and the last), training each variant for at most 1 epoch"), html)
        XCTAssertTrue(html.contains("3 of 5 challenge values, training at most 1 epoch each (line 34)"), "the banner")
        // The lab's run stores its model and scores; each of the three variants trains for one
        // epoch, so even the one with the lab's own width (1) is not the lab's two-epoch model.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".entry") }.count, 2 + 3 * 2)

        _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(try triedValues(), ["1", "2", "3", "4", "5"])
    }
}
