import XCTest
@testable import Charts

/// Text that reaches a chart (titles, labels, legends) is escaped for SVG: markup is shown,
/// control characters are dropped, and bidirectional overrides are shown as U+FFFD, not obeyed.
final class ChartTextTests: XCTestCase {
    func testChartTextIsShownNotObeyed() {
        XCTAssertEqual(SVG.escape("<b>&'\"x\u{7}"), "&lt;b&gt;&amp;&#39;&quot;x")
        XCTAssertEqual(SVG.escape("digit\u{202E}5\u{2066}7\u{2069} שלום"), "digit\u{FFFD}5\u{FFFD}7\u{FFFD} שלום")
        let svg = Chart.bar(title: "AUC \u{202E}per digit", xLabel: "digit", yLabel: "AUC", labels: ["0"], values: [0.5], passes: nil)
        XCTAssertFalse(svg.unicodeScalars.contains("\u{202E}"))
    }
}
