import Charts
import Foundation
import XCTest
@testable import Report

/// Opens a rendered report in headless Chromium with name resolution disabled (so nothing can
/// be fetched), and fails if the page logs an error, violates its CSP, tries the network, or if
/// any chart is missing or empty once rendered. Leaves the screenshot in the temporary directory.
final class BrowserTests: XCTestCase {
    private func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw XCTSkip("Chromium is not installed (scripts/setup installs Debian's chromium)")
    }

    private func run(_ browser: String, _ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
                             "--user-data-dir=\(profile.path)"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// A report with one chart of every kind.
    static func everyChart() -> ReportDocument {
        let groups = [ValueGroup(name: "normal", values: (0..<200).map { Double($0 % 37) / 10 }, color: Palette.normal),
                      ValueGroup(name: "anomalous", values: (0..<40).map { Double($0 % 23) / 10 + 2 }, color: Palette.anomalous)]
        let points = (0..<300).map { ScatterPoint(x: Double($0 % 17), y: Double($0 % 13), group: $0 % 3, highlighted: $0 % 29 == 0) }
        let images: [GridImage] = (0..<5).map { k in
            let pixels: [Float] = (0..<784).map { i in Float((i / 28 + i % 28 + k * 5) % 28) / 27 }
            return GridImage(pixels: pixels, caption: "E=\(k)")
        }
        let sixCurves: [(name: String, precision: [Double], recall: [Double], averagePrecision: Double)] = (0..<6).map { k in
            let p = 0.5 + Double(k) / 20
            return (name: "score \(k)", precision: [0.1, p, 1], recall: [1, 0.6, 0], averagePrecision: p)
        }
        let charts: [String] = [
            Chart.line(title: "Loss", xLabel: "Epoch", yLabel: "Loss", series: [Series(name: "loss", x: [1, 2, 3], y: [3, 2, 1.5])]),
            Chart.histogram(title: "Scores", xLabel: "Score", groups: groups, threshold: 2.5),
            Chart.kde(title: "Density", xLabel: "Score", groups: groups),
            Chart.roc([(name: "VAE", falsePositiveRate: [0, 0.1, 1], truePositiveRate: [0, 0.7, 1], auc: 0.8)]),
            Chart.precisionRecall(prevalence: 0.1, [(name: "VAE", precision: [0.2, 0.6, 1], recall: [1, 0.5, 0], averagePrecision: 0.55)]),
            Chart.scatter(title: "Latent", xLabel: "z0", yLabel: "z1", points: points, groups: ["a", "b", "c"]),
            Chart.scoresByIndex(title: "Errors", normal: [0.01, 0.02, 0.03], anomalous: [0.06, 0.08], threshold: 0.05),
            Chart.imageGrid(title: "Reconstructions", rows: [images, images], imageWidth: 28, imageHeight: 28, rowLabels: ["original", "reconstruction"]),
            Chart.heatmap(title: "Confusion", rowTitle: "truth", columnTitle: "decision", rowLabels: ["normal", "anomaly"], columnLabels: ["normal", "anomaly"], values: [[90, 3], [4, 12]]),
            Chart.bar(title: "AUC per digit", xLabel: "digit", yLabel: "AUC", labels: ["0", "1"], values: [0.9, 0.4], passes: [true, false]),
            Chart.line(title: "Two epochs", xLabel: "Epoch", yLabel: "Loss", series: [Series(name: "loss", x: [1, 2], y: [0.031, 0.027]),
                                                                                       Series(name: "validation loss", x: [1, 2], y: [0.033, 0.029], dashed: true)], integerX: true),
            Chart.bar(title: "elbo.auc for each learning_rate, one of which failed", xLabel: "learning_rate", yLabel: "AUC",
                      labels: ["0.0001", "0.001", "0.01", "10"], values: [0.912, 0.874, 0.655, nil], passes: [true, true, false, false]),
            Chart.groupedBars(title: "elbo.auc for each anomalous_digit, measured and published", xLabel: "anomalous_digit", yLabel: "auc",
                              labels: (0...9).map(String.init), series: [("measured", (0...9).map { $0 == 4 ? nil : 0.5 + Double($0) / 20 }), ("published", (0...9).map { 0.9 - Double($0) / 30 })]),
            Chart.precisionRecall(prevalence: 0.1, sixCurves),
        ]
        var document = ReportTests.sample(charts: 0)
        for (i, svg) in charts.enumerated() {
            let step = ReportDocument.Step(kind: "plot", title: "chart \(i)", line: 100 + i, source: "kind: x\n", outputs: [.chart(svg: svg, caption: nil)])
            document.cells.append(.step(step))
        }
        return document
    }

    static let chartCount = 14

    func testReportRendersInChromiumWithoutErrorsOrNetwork() throws {
        let browser = try chromium()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-browser")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("report.html"), screenshot = directory.appendingPathComponent("report.png")
        try? FileManager.default.removeItem(at: screenshot)
        try ReportRenderer(templates: .builtIn).render(Self.everyChart()).write(to: page, atomically: false, encoding: .utf8)

        let dump = try run(browser, ["--dump-dom", page.absoluteString])
        let shot = try run(browser, ["--screenshot=\(screenshot.path)", "--window-size=1000,2400", page.absoluteString])
        for log in [dump.stderr, shot.stderr] {
            for line in log.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused to") || line.contains("net::ERR") {
                XCTFail("browser reported: \(line)")
            }
        }
        // Every chart is present in the rendered DOM and has drawn content.
        let svgs = dump.stdout.components(separatedBy: "<svg ").dropFirst()
        XCTAssertEqual(svgs.count, Self.chartCount, "every chart is in the page")
        for (i, svg) in svgs.enumerated() {
            let body = svg.components(separatedBy: "</svg>").first ?? ""
            XCTAssertTrue(body.contains("<path") || body.contains("<rect") || body.contains("<circle") || body.contains("<image"), "chart \(i) is empty")
        }
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        XCTAssertGreaterThan(size, 20_000, "the screenshot shows a rendered page")
    }

    /// The hostile text of `HostileTextTests` in every field, and a refresh to a local address
    /// behind a prepended mark (a lab that passed `check` once navigated the report this way):
    /// the page Chromium builds has none of it as an element, and is the whole report.
    func testHostileTextAddsNoElementInChromium() throws {
        let browser = try chromium()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-browser")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("hostile.html")
        let payload = HostileTextTests.marks.map { "\($0)<meta http-equiv=refresh content=0;url=http://127.0.0.1:8765/pwned>" + HostileTextTests.payload($0) }
            .joined(separator: " ")
        try ReportRenderer(templates: .builtIn).render(HostileTextTests.everyField(payload)).write(to: page, atomically: false, encoding: .utf8)

        let dump = try run(browser, ["--virtual-time-budget=2000", "--dump-dom", page.absoluteString])
        XCTAssertFalse(dump.stdout.contains("<zz-injected"), "an injected element")
        XCTAssertFalse(dump.stdout.contains("zz-attr=\""), "an injected attribute")
        XCTAssertFalse(dump.stdout.contains("http-equiv=\"refresh\""), "an injected refresh")
        XCTAssertEqual(dump.stdout.components(separatedBy: "<style").count - 1, 1, "only the report's own style")
        XCTAssertTrue(dump.stdout.contains("id=\"swift-lab-results\""), "the page is the whole report, not blanked or navigated away")
        for line in dump.stderr.split(separator: "\n") where line.contains("net::ERR") || line.contains("127.0.0.1") {
            XCTFail("browser reported: \(line)")
        }
    }

    // MARK: - Layout at a desktop's and a phone's width, light and dark

    /// What the page measures of itself: whether it scrolls sideways, the smallest chart text as
    /// rendered (its font size times the scale from the chart's units to the screen, rotation
    /// included), and whether the results summary is there.
    static func measure(width: Int) -> String { """
    ((width) => {
      const root = document.documentElement;
      const texts = [...document.querySelectorAll('svg text')].map(t => {
        const m = t.getScreenCTM();
        return { text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b) };
      });
      const small = texts.filter(t => t.px < 12).sort((a, b) => a.px - b.px);
      const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5
          && !e.closest('.table-box, pre, details')).slice(0, 8).map(e => e.tagName + '.' + e.className.toString());
      return { innerWidth, scrollWidth: root.scrollWidth, height: root.scrollHeight, dark: matchMedia('(prefers-color-scheme: dark)').matches,
               summary: document.querySelector('section.summary h2') !== null, charts: document.querySelectorAll('svg').length,
               texts: texts.length, smallest: texts.reduce((m, t) => Math.min(m, t.px), 1e9), small: small.slice(0, 8), wide };
    })(\(width))
    """ }

    /// Opens `page` at 1280 and 390 px, light and dark, in one browser: fails if the page scrolls
    /// sideways at 390 px, if any chart text renders below 12 px, or if the summary is missing.
    /// Saves a screenshot of each beside the page (NAME-390-dark.png, ...), for a person to look at:
    /// the page's top, or all of it in parts with SWIFT_LAB_SCREENSHOTS=full.
    private func checkLayout(of page: URL, charts: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let full = ProcessInfo.processInfo.environment["SWIFT_LAB_SCREENSHOTS"] == "full"
        let session = try DevToolsSession(browser: try chromium(), patience: full ? 600 : 60)
        for width in [1280, 390] {
            for dark in [false, true] {
                let name = "\(width)-\(dark ? "dark" : "light")"
                let tab = try session.open(page, width: width, dark: dark)
                guard let facts = try session.evaluate(Self.measure(width: width), in: tab) as? [String: Any] else { return XCTFail("no measurement", file: file, line: line) }
                XCTAssertEqual(facts["innerWidth"] as? Int, width, "\(name): the viewport is emulated", file: file, line: line)
                XCTAssertEqual(facts["dark"] as? Bool, dark, "\(name): the colour scheme is emulated", file: file, line: line)
                XCTAssertLessThanOrEqual(facts["scrollWidth"] as? Int ?? .max, width, "\(name): the page scrolls sideways; too wide: \(facts["wide"] ?? "")", file: file, line: line)
                XCTAssertEqual(facts["charts"] as? Int, charts, "\(name): every chart is in the page", file: file, line: line)
                XCTAssertGreaterThan(facts["texts"] as? Int ?? 0, charts, "\(name): the charts have text", file: file, line: line)
                XCTAssertGreaterThanOrEqual(facts["smallest"] as? Double ?? 0, 12, "\(name): chart text below 12 px: \(facts["small"] ?? "")", file: file, line: line)
                XCTAssertEqual(facts["summary"] as? Bool, true, "\(name): the results summary", file: file, line: line)
                let stem = page.deletingPathExtension().lastPathComponent
                // The top of the page (header, results, contents, the first steps) keeps the test
                // fast; SWIFT_LAB_SCREENSHOTS=full takes the whole page, in parts (-2, -3, ...).
                let pageHeight = facts["height"] as? Int ?? 0, part = 2400
                for index in 0..<(full ? max(1, (pageHeight + part - 1) / part) : 1) {
                    let file = "\(stem)-\(name)\(index == 0 ? "" : "-\(index + 1)").png"
                    try session.screenshot(tab, to: page.deletingLastPathComponent().appendingPathComponent(file), width: width, top: index * part,
                                           height: min(part, max(pageHeight - index * part, 1)))
                }
            }
        }
    }

    func testEveryChartFitsAPhoneAndADesktopInLightAndDark() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-browser")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("every-chart.html")
        var document = Self.everyChart()
        document.challenges = [.init(title: "A smaller latent space", measure: "elbo.auc", outcome: "2 of 3 values of latent pass >= 0.8")]
        // What used to run off a phone's screen: hashes, long names, wide tables, long paths.
        let hash = String(repeating: "9f86d081884c7d659a2feaa0c55ad015", count: 4)
        document.run.append((key: "data /very/long/path/to/the/shared/data/mnist/train-images-idx3-ubyte.gz", value: "sha256 \(hash)"))
        document.cells.append(.prose(markdown: "## A wide table\n\n| " + (1...12).map { "column \($0)" }.joined(separator: " | ") + " |\n|"
                                     + String(repeating: " --- |", count: 12) + "\n| " + (1...12).map { "0.\($0)" }.joined(separator: " | ") + " |\n\nA hash: \(hash).\n"))
        document.cells.append(.step(.init(kind: "score", title: "score_with_a_very_long_name_\(hash)", line: 300, source: "as: x\n",
                                          outputs: [.text("sha256 \(hash)"), .table(header: (1...12).map { "column \($0)" }, rows: [(1...12).map { "\($0).000000" }]),
                                                    .code("Model: \"x\"\n" + String(repeating: "_", count: 120))])))
        try ReportRenderer(templates: .builtIn).render(document).write(to: page, atomically: false, encoding: .utf8)
        try checkLayout(of: page, charts: Self.chartCount)
    }

    /// A real report: lab 001 run with --quick on the MNIST subset in Tests/Data (a second or two),
    /// by the release binary `make test` builds (SWIFT_LAB_BINARY). SWIFT_LAB_BROWSER_LAB names
    /// another lab to check the same way.
    func testALabsReportFitsAPhoneAndADesktopInLightAndDark() throws {
        guard let binary = ProcessInfo.processInfo.environment["SWIFT_LAB_BINARY"] else { throw XCTSkip("set SWIFT_LAB_BINARY to a release swift-lab (make test does)") }
        _ = try chromium()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-browser")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary, relativeTo: ReportTests.root)
        process.currentDirectoryURL = ReportTests.root
        let lab = ProcessInfo.processInfo.environment["SWIFT_LAB_BROWSER_LAB"] ?? "Labs/001-autoencoder-rotated-digits.md"
        process.arguments = ["run", lab, "--quick", "--no-cache", "--out", directory.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_LAB_DATA": ReportTests.root.appendingPathComponent("Tests/Data").path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "the lab runs")
        let page = directory.appendingPathComponent(URL(fileURLWithPath: lab).deletingPathExtension().lastPathComponent + ".html")
        let html = try String(contentsOf: page, encoding: .utf8)
        try checkLayout(of: page, charts: html.components(separatedBy: "<svg ").count - 1)
    }
}
