import Charts
import Foundation
import XCTest
@testable import Report

/// Every text field of a report, given markup behind combining and prepended marks: none of it may
/// survive as markup. Swift's Characters merge a mark with the "<" after it (U+0600 prepends, U+0301
/// and U+200D extend), so an escape that compares Characters lets these through.
final class HostileTextTests: XCTestCase {
    static let marks = ["\u{0600}", "\u{0301}", "\u{200D}", ""]

    /// Markup that must come out as text: a tag, an attribute after each quote, an entity. A
    /// prepended mark joins the character after it, a combining one the character before it.
    static func payload(_ mark: String) -> String {
        "\(mark)<zz-injected>\(mark)\"\(mark) zz-attr=1 \(mark)'\(mark) zz-attr=1 \(mark)&zz;\(mark)<style "
    }

    /// `tagsOnly`: for cmark's prose and the JSON in its script, where only a tag can do harm
    /// (neither is an attribute, and a script's text has no entities).
    static func assertInert(_ html: String, _ field: String, mark: String, tagsOnly: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        let tags = ["<zz-injected", "<style "]
        let markups = tagsOnly ? tags : tags + ["\"\(mark) zz-attr", "'\(mark) zz-attr", "&zz;"]
        for markup in markups where html.contains(markup) {
            XCTFail("\(field): \(markup.debugDescription) survives as markup", file: file, line: line)
        }
    }

    /// One document per field, the payload in that field only, so a failure names the field.
    static func documents(_ p: String) -> [(field: String, document: ReportDocument)] {
        let base = ReportDocument(title: "Lab", labPath: "Labs/lab.md", seed: 1)
        func with(_ field: String, _ change: (inout ReportDocument) -> Void) -> (String, ReportDocument) {
            var document = base
            change(&document)
            return (field, document)
        }
        func step(_ field: String, _ change: (inout ReportDocument.Step) -> Void) -> (String, ReportDocument) {
            var step = ReportDocument.Step(kind: "load", title: "data", line: 3, source: "dataset: mnist\n")
            change(&step)
            return with(field) { $0.cells = [.step(step)] }
        }
        func chart(_ field: String, _ svg: String) -> (String, ReportDocument) {
            step(field) { $0.outputs = [.chart(svg: svg, caption: nil)] }
        }
        return [
            with("title") { $0.title = p },
            with("description") { $0.description = p },
            with("lab path") { $0.labPath = p },
            with("parameter name") { $0.parameters = [.init(name: p, value: "1", defaultValue: "1")] },
            with("parameter value (--set)") { $0.parameters = [.init(name: "epochs", value: p, defaultValue: "1")] },
            with("parameter default") { $0.parameters = [.init(name: "epochs", value: "1", defaultValue: p)] },
            with("prose") { $0.cells = [.prose(markdown: "Some text \(p)\n")] },
            step("step kind") { $0.kind = p },
            step("step title (and the contents list)") { $0.title = p },
            step("step source") { $0.source = p },
            step("error message") { $0.status = .failed; $0.error = p },
            step("challenge prompt and hint") { $0.kind = "challenge"; $0.outputs = [.text(p), .text("Hint: \(p)")] },
            step("table header (class names)") { $0.outputs = [.table(header: [p], rows: [])] },
            step("table cell (class names)") { $0.outputs = [.table(header: ["class"], rows: [[p]])] },
            step("code output") { $0.outputs = [.code(p)] },
            step("chart caption") { $0.outputs = [.chart(svg: "<svg></svg>", caption: p)] },
            chart("line chart labels", Chart.line(title: p, xLabel: p, yLabel: p, series: [Series(name: p, x: [1, 2], y: [1, 2])])),
            chart("heatmap labels", Chart.heatmap(title: p, rowTitle: p, columnTitle: p, rowLabels: [p, "b"], columnLabels: [p, "b"], values: [[1, 2], [3, 4]])),
            chart("bar labels", Chart.bar(title: p, xLabel: p, yLabel: p, labels: [p], values: [0.5], passes: [true])),
            chart("scatter groups", Chart.scatter(title: p, xLabel: p, yLabel: p, points: [ScatterPoint(x: 0, y: 0, group: 0, highlighted: false)], groups: [p])),
            with("metric name and method") { $0.metrics = [.init(name: p, method: p, auc: p, ap: p, f1: p)] },
            with("run section") { $0.run = [(key: p, value: p)] },
            with("challenge summary") { $0.challenges = [.init(title: p, measure: p, outcome: p)] },
            with("quick banner") { $0.quickChanges = [p] },
            with("failure banner") { $0.cells = [.step(.init(kind: p, title: p, line: 1, source: p, status: .failed, error: p))] },
            with("results JSON") { $0.resultsJSON = "{\"note\": \"\(p.replacingOccurrences(of: "\"", with: "\\\""))</script>\"}" },
        ]
    }

    /// One document with `p` in every field at once, as the browser test opens it.
    static func everyField(_ p: String) -> ReportDocument {
        var document = ReportDocument(title: p, description: p, labPath: p, seed: 1, parameters: [.init(name: p, value: p, defaultValue: p + "0")],
                       cells: documents(p).flatMap(\.document.cells), metrics: [.init(name: p, method: p, auc: p, ap: p, f1: p)],
                       run: [(key: p, value: p)])
        document.challenges = [.init(title: p, measure: p, outcome: p)]
        document.quickChanges = [p]
        return document
    }

    func testNoFieldLetsMarkupThrough() throws {
        let renderer = ReportRenderer(templates: .builtIn)
        for mark in Self.marks {
            for (field, document) in Self.documents(Self.payload(mark)) {
                Self.assertInert(try renderer.render(document), "\(field), mark \(mark.unicodeScalars.map { String($0.value, radix: 16) })", mark: mark,
                                 tagsOnly: field == "prose" || field == "results JSON")
            }
        }
    }

    func testEscapingWorksOnCodePoints() {
        XCTAssertEqual(HTMLEscape.text("\u{0600}<b a=\"x\" b='y'>&\u{0301}<"), "\u{0600}&lt;b a=&quot;x&quot; b=&#39;y&#39;&gt;&amp;\u{0301}&lt;")
        XCTAssertEqual(HTMLEscape.text("plain é ü ∞"), "plain é ü ∞")
    }

    /// A bidirectional override shows reversed what follows it; in a report it shows as U+FFFD.
    func testDirectionalControlsAreShownNotObeyed() {
        for control in ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"] {
            XCTAssertEqual(HTMLEscape.text("invoice\(control)gpj.exe"), "invoice\u{FFFD}gpj.exe")
        }
        // Their neighbours, and right-to-left letters, are text.
        XCTAssertEqual(HTMLEscape.text("\u{2029}\u{202F}\u{2065}\u{206A} שלום مرحبا"), "\u{2029}\u{202F}\u{2065}\u{206A} שלום مرحبا")
        XCTAssertEqual(HTMLEscape.text("\u{202E}"), "\u{FFFD}")
        XCTAssertEqual(HTMLEscape.text("a\u{E2}"), "a\u{E2}")
    }
}
