import Foundation
import XCTest
@testable import Charts

/// Every chart kind rendered from fixed data and compared byte for byte with the SVG committed
/// in Snapshots/. After an intended change, re-record with SWIFT_LAB_RECORD_SNAPSHOTS=1 and look
/// at the new files before committing them.
final class ChartSnapshotTests: XCTestCase {
    private let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    private func assertSnapshot(_ svg: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent("\(name).svg")
        if ProcessInfo.processInfo.environment["SWIFT_LAB_RECORD_SNAPSHOTS"] == "1" {
            try svg.write(to: url, atomically: false, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(svg, expected, "\(name).svg differs from its snapshot", file: file, line: line)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), file: file, line: line)
    }

    /// Deterministic pseudo-data without a generator: a fixed quasi-random sequence.
    private func sequence(_ count: Int, seed: Double) -> [Double] {
        (0..<count).map { i in (Double(i) * 0.6180339887 + seed).truncatingRemainder(dividingBy: 1) }
    }

    func testLine() throws {
        let epochs = (1...10).map(Double.init)
        try assertSnapshot(Chart.line(title: "Training loss", xLabel: "Epoch", yLabel: "Loss", series: [
            Series(name: "loss", x: epochs, y: epochs.map { 200 / $0 + 150 }),
            Series(name: "reconstruction", x: epochs, y: epochs.map { 190 / $0 + 140 }),
            Series(name: "KL", x: epochs, y: epochs.map { 10 + $0 }, dashed: true),
        ]), "line")
    }

    func testHistogramAndKDE() throws {
        let normal = ValueGroup(name: "normal", values: sequence(300, seed: 0.1).map { $0 * 2 }, color: Palette.normal)
        let anomalous = ValueGroup(name: "anomalous", values: sequence(60, seed: 0.3).map { $0 * 2 + 1.2 }, color: Palette.anomalous)
        try assertSnapshot(Chart.histogram(title: "Scores", xLabel: "Score", groups: [normal, anomalous], bins: 20, threshold: 1.5), "histogram")
        try assertSnapshot(Chart.histogram(title: "Scores (density)", xLabel: "Score", groups: [normal, anomalous], bins: 20, density: true), "histogram-density")
        try assertSnapshot(Chart.kde(title: "Score density", xLabel: "Score", groups: [normal, anomalous]), "kde")
    }

    func testROCAndPrecisionRecall() throws {
        try assertSnapshot(Chart.roc([(name: "VAE", falsePositiveRate: [0, 0.1, 0.3, 1], truePositiveRate: [0, 0.6, 0.9, 1], auc: 0.87),
                                      (name: "PCA", falsePositiveRate: [0, 0.5, 1], truePositiveRate: [0, 0.6, 1], auc: 0.55)]), "roc")
        try assertSnapshot(Chart.precisionRecall(prevalence: 0.08, [(name: "VAE", precision: [0.3, 0.5, 0.8, 1], recall: [1, 0.8, 0.4, 0], averagePrecision: 0.61)]), "pr")
    }

    func testScatterByClassByScoreAndThinned() throws {
        let points = sequence(200, seed: 0.2).enumerated().map { i, v in
            ScatterPoint(x: v * 4 - 2, y: (Double(i * i % 97) / 97) * 4 - 2 + Double(i % 3), group: i % 3, highlighted: i % 20 == 0)
        }
        try assertSnapshot(Chart.scatter(title: "Latent space", xLabel: "z[0]", yLabel: "z[1]", points: points, groups: ["T-shirt/top", "Trouser", "Pullover"]), "scatter-classes")
        let scored = points.enumerated().map { ScatterPoint(x: $0.element.x, y: $0.element.y, value: Double($0.offset)) }
        try assertSnapshot(Chart.scatter(title: "Latent space by score", xLabel: "PC 1", yLabel: "PC 2", points: scored, valueName: "score", note: "3-D latent projected by PCA"), "scatter-score")
        let many = (0..<10_000).map { ScatterPoint(x: Double($0 % 100), y: Double($0 / 100), group: 0) }
        let thinned = Chart.scatter(title: "Many", xLabel: "x", yLabel: "y", points: many)
        XCTAssertTrue(thinned.contains("showing 2500 of 10000 points (every 4th)"))
        XCTAssertLessThan(thinned.utf8.count, 300_000, "a 10,000-point scatter stays small")
    }

    func testScoresByIndexImagesHeatmapAndBars() throws {
        try assertSnapshot(Chart.scoresByIndex(title: "Reconstruction error", normal: sequence(50, seed: 0.1).map { $0 * 0.04 },
                                               anomalous: sequence(50, seed: 0.5).map { $0 * 0.05 + 0.03 }, threshold: 0.05), "errors")
        let images = (0..<3).map { k in GridImage(pixels: (0..<16).map { Float(($0 + k) % 16) / 15 }, caption: "E=\(k)") }
        try assertSnapshot(Chart.imageGrid(title: "Reconstructions", rows: [images, images.reversed()], imageWidth: 4, imageHeight: 4,
                                           rowLabels: ["original", "reconstruction"], scale: 8), "images")
        try assertSnapshot(Chart.heatmap(title: "Confusion matrix", rowTitle: "truth", columnTitle: "decision", rowLabels: ["normal", "anomaly"],
                                         columnLabels: ["normal", "anomaly"], values: [[900, 20], [40, 60]]), "confusion")
        try assertSnapshot(Chart.bar(title: "AUC per anomalous digit", xLabel: "digit", yLabel: "AUC", labels: (0...4).map(String.init),
                                     values: [0.91, 0.62, 0.85, 0.48, 0.77], passes: [true, true, true, false, true]), "bars")
        try assertSnapshot(Chart.groupedBars(title: "AUC per held-out digit", xLabel: "digit", yLabel: "AUC", labels: (0...2).map(String.init),
                                             series: [("measured", [0.91, 0.62, 0.85]), ("published", [0.96, 0.73, 0.97])]), "grouped-bars")
    }

    func testHostileLabelsAreEscaped() {
        let hostile = "<script>alert('x')</script> & \"quotes\""
        let svg = Chart.line(title: hostile, xLabel: hostile, yLabel: "y", series: [Series(name: hostile, x: [0, 1], y: [0, 1])])
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertTrue(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        let grid = Chart.imageGrid(title: "t", rows: [[GridImage(pixels: [0.5], caption: "</text><script>")]], imageWidth: 1, imageHeight: 1)
        XCTAssertFalse(grid.contains("<script>"))
    }

    /// A list of images flows over lines at its own scale; a grid without captions (decoded
    /// codes) keeps its shape and shrinks to the column instead.
    func testImageListsFlowAndGridsShrink() {
        let images = (0..<20).map { k in GridImage(pixels: (0..<784).map { Float(($0 + k) % 28) / 27 }) }
        let flowing = Chart.imageGrid(title: "Samples", rows: [images], imageWidth: 28, imageHeight: 28, scale: 2, flowing: true)
        XCTAssertEqual(flowing.components(separatedBy: "<image ").count - 1, 4, "60 units an image, 6 on a line of 384 units: 4 lines")
        let grid = Chart.imageGrid(title: "Grid", rows: [images], imageWidth: 28, imageHeight: 28, scale: 2)
        XCTAssertEqual(grid.components(separatedBy: "<image ").count - 1, 1, "one line, shrunk")
        XCTAssertTrue(grid.contains("viewBox=\"0 0 400 "), grid.prefix(200).description)
    }

    /// Titles wrap within the column, a word longer than a line is cut, and a lab's 100,000-
    /// character title costs one pass, not one per character.
    func testLongTitlesWrapWithinTheColumn() {
        let words = Typography.wrap("elbo.auc for each anomalous_digit, measured and published", width: 384, size: Typography.title, bold: true)
        XCTAssertEqual(words, ["elbo.auc for each anomalous_digit,", "measured and published"])
        let long = Typography.wrap("a " + String(repeating: "x", count: 100_000), width: 384, size: Typography.title, bold: true)
        XCTAssertGreaterThan(long.count, 100)
        XCTAssertTrue(long.allSatisfy { Typography.width(of: $0, size: Typography.title, bold: true) <= 384 })
        XCTAssertEqual(long.joined().count, 100_001)
        let svg = Chart.line(title: String(repeating: "word ", count: 40), xLabel: "x", yLabel: "y", series: [Series(name: "s", x: [0, 1], y: [0, 1])])
        XCTAssertGreaterThan(svg.components(separatedBy: ">word word").count - 1, 3, "the title is several lines")
    }

    func testRenderingIsDeterministicAndNumbersAreFixed() {
        let a = Chart.roc([(name: "a", falsePositiveRate: [0, 1 / 3, 1], truePositiveRate: [0, 2 / 3, 1], auc: 2 / 3)])
        let b = Chart.roc([(name: "a", falsePositiveRate: [0, 1 / 3, 1], truePositiveRate: [0, 2 / 3, 1], auc: 2 / 3)])
        XCTAssertEqual(a, b)
        XCTAssertEqual(SVG.number(1 / 3), "0.33")
        XCTAssertEqual(SVG.number(-0.001), "0")
        XCTAssertEqual(SVG.number(2.5), "2.5")
        XCTAssertEqual(SVG.number(-12.05), "-12.05")
        XCTAssertEqual(SVG.number(-0.5), "-0.5")
        XCTAssertEqual(SVG.number(3.999), "4")
        XCTAssertEqual(SVG.number(1e300), String(format: "%.0f", 1e300))
        // The plain definition: rounded to hundredths, printed with two decimals, zeros trimmed.
        func reference(_ x: Double) -> String {
            let rounded = (x * 100).rounded() / 100
            if rounded == 0 { return "0" }
            if rounded == rounded.rounded() { return String(Int(rounded)) }
            var text = String(format: "%.2f", rounded)
            while text.hasSuffix("0") { text.removeLast() }
            return text
        }
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let x = (Double(state >> 11) / Double(1 << 53) - 0.5) * [1, 10, 1000, 1e6][Int(state % 4)]
            XCTAssertEqual(SVG.number(x), reference(x), "\(x)")
        }
        XCTAssertEqual(LinearScale(domain: (0.013, 0.087), range: (0, 1)).ticks, [0, 0.02, 0.04, 0.06, 0.08, 0.1])
        // Values a hostile lab can reach: huge, and huge with a tiny range; ends, without a trap.
        XCTAssertEqual(LinearScale(domain: (0, 1e300), range: (0, 1)).labels.last, "1e+300")
        XCTAssertLessThanOrEqual(LinearScale(domain: (1e17, 1e17 + 10), range: (0, 1)).ticks.count, LinearScale.maximumTicks)
        XCTAssertTrue(Chart.line(title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "s", x: [1e17, 1e17 + 16], y: [-1e300, 1e300])]).hasSuffix("</svg>"))
    }

    func testPNGIsValid() {
        let png = PNG.grey([0, 0.5, 1, 0.25], width: 2, height: 2)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8))
        XCTAssertEqual(Array(png[16..<24]), [0, 0, 0, 2, 0, 0, 0, 2], "width and height")
        XCTAssertEqual(Array(png.suffix(12).prefix(8)), [0, 0, 0, 0] + Array("IEND".utf8))
        XCTAssertTrue(PNG.dataURI(png).hasPrefix("data:image/png;base64,iVBORw0KGgo"))
    }
}

final class ProjectionTests: XCTestCase {
    /// Points along (1, 1, 0) with small spread along (0, 0, 1): the first component is the
    /// diagonal and keeps almost all the variance.
    func testPrincipalComponentsFindTheMainDirection() {
        var values: [Float] = []
        for i in 0..<100 {
            let t = Float(i - 50) / 10, e = Float(i % 7 - 3) / 100
            values += [t, t, e]
        }
        let (points, explained) = Projection.principalComponents(values, count: 100, d: 3)
        XCTAssertGreaterThan(explained.0, 0.99)
        XCTAssertEqual(abs(points[0].0), 4.95 * 2.0.squareRoot(), accuracy: 1e-3, "distance along the diagonal from the mean (−0.05)")
        let (plain, _) = Projection.principalComponents([1, 2, 3, 4], count: 2, d: 2)
        XCTAssertEqual(plain.map(\.0), [1, 3])
    }
}
