import XCTest
@testable import Report

/// Prose through cmark-gfm: GitHub's extensions render, and hostile prose adds no element,
/// attribute, script or network load.
final class MarkdownTests: XCTestCase {
    func testGitHubExtensionsRender() {
        let html = Markdown.html("""
        | metric | value |
        | --- | ---: |
        | AUC | 0.91 |

        ~~old~~ new, see https://example.org/lab and www.example.org.

        - [x] train the model
        - [ ] tune the threshold
        """)
        XCTAssertTrue(html.contains("<table>"), html)
        XCTAssertTrue(html.contains("<th>metric</th>"), html)
        XCTAssertTrue(html.contains("<td align=\"right\">0.91</td>"), html)
        XCTAssertTrue(html.contains("<del>old</del>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://example.org/lab\">https://example.org/lab</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"http://www.example.org\">www.example.org</a>"), html)
        XCTAssertTrue(html.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> train the model"), html)
        XCTAssertTrue(html.contains("<input type=\"checkbox\" disabled=\"\" /> tune the threshold"), html)
    }

    func testHostileProseAddsNothingActive() {
        let hostile = """
        <script>alert(1)</script>

        Inline <img src=x onerror=alert(2)> and <iframe src="https://evil.example/"></iframe> and <xmp>x</xmp> <plaintext>

        [click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](VBScript:msgbox)

        | cell | <script>alert(4)</script> |
        | --- | --- |
        | <style>body{display:none}</style> | [x](javascript:alert(5)) |

        ![tracker](https://evil.example/pixel.png) ![inline](data:image/png;base64,iVBORw0KGgo=) ![js](javascript:alert(6))

        <a href="https://evil.example" onclick="alert(7)">raw link</a>
        """
        let html = Markdown.html(hostile)
        for forbidden in ["<script", "<img", "<iframe", "<xmp", "<plaintext", "<style", "onerror", "onclick", "javascript:", "vbscript:", "data:", "<a href=\"https://evil.example\" "] {
            XCTAssertFalse(html.lowercased().contains(forbidden.lowercased()), "\(forbidden) in \(html)")
        }
        XCTAssertTrue(html.contains("<a href=\"https://evil.example/pixel.png\">tracker</a>"), "a remote image is a link, not loaded: \(html)")
        XCTAssertTrue(html.contains("<em>inline</em>"), "an image the lab may not show is its alt text: \(html)")
        XCTAssertTrue(html.contains("<!-- raw HTML omitted -->"), html)
    }

    func testHeadingsGetAnchorsAndTheTitleIsNotRepeated() {
        let rendered = Markdown.render("# My lab\n\nIntro.\n\n## Data\n\nText.\n\n### Detail\n\n## Model `vae`\n", omittingTitle: "My lab", anchorPrefix: "section-1")
        XCTAssertFalse(rendered.html.contains("My lab"), rendered.html)
        XCTAssertEqual(rendered.headings, [.init(level: 2, text: "Data", anchor: "section-1-1"), .init(level: 3, text: "Detail", anchor: "section-1-2"),
                                           .init(level: 2, text: "Model vae", anchor: "section-1-3")])
        XCTAssertTrue(rendered.html.contains("<h2 id=\"section-1-1\">Data</h2>"), rendered.html)
        XCTAssertTrue(rendered.html.contains("<h3 id=\"section-1-2\">Detail</h3>"), rendered.html)
        XCTAssertTrue(rendered.html.contains("<h2 id=\"section-1-3\">Model <code>vae</code></h2>"), rendered.html)
        // Another first heading stays.
        XCTAssertTrue(Markdown.render("# Other\n", omittingTitle: "My lab").html.contains("<h1>Other</h1>"))
    }

    /// Prose shows bidirectional overrides and isolates as U+FFFD, as every other text of a
    /// report does, so that a student's prose cannot display reversed or moved to a grader.
    func testProseShowsDirectionalControlsAsReplacementCharacters() {
        let controls = ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]
        let prose = controls.map { "## Heading \($0)gpj.exe\n\nText \($0)gpj.exe, `code \($0)x` and [link \($0)y](https://example.org/\($0))\n" }.joined(separator: "\n")
        let html = Markdown.render(prose, anchorPrefix: "section-1").html
        for control in controls {
            XCTAssertFalse(html.unicodeScalars.contains(control.unicodeScalars.first!), "U+\(String(control.unicodeScalars.first!.value, radix: 16, uppercase: true)) in \(html)")
        }
        XCTAssertTrue(html.contains("<h2 id=\"section-1-1\">Heading \u{FFFD}gpj.exe</h2>"), html)
    }

    /// Anchors are placed by bytes: headings among non-ASCII text (where a search through
    /// Foundation converts the rest of the page at each heading) each get theirs, in order.
    func testAnchorsAmongNonASCIIText() {
        let prose = (1...300).map { "## Étape \($0) `<h2>`\n\nDonnées é ü 数字 \($0).\n" }.joined(separator: "\n")
        let rendered = Markdown.render(prose, anchorPrefix: "section-2")
        XCTAssertEqual(rendered.headings.count, 300)
        for k in [1, 150, 300] {
            XCTAssertTrue(rendered.html.contains("<h2 id=\"section-2-\(k)\">Étape \(k) <code>&lt;h2&gt;</code></h2>\n<p>Données é ü 数字 \(k).</p>"), "heading \(k)")
        }
        XCTAssertEqual(rendered.html.components(separatedBy: "<h2 id=").count - 1, 300)
    }

    func testLocalImagesShowOnlyAsTheDataTheRunnerVerified() {
        let data = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="
        let html = Markdown.render("![diagram](fig.png) ![other](other.png)", images: ["fig.png": data]).html
        XCTAssertTrue(html.contains("<img src=\"\(data)\" alt=\"diagram\" />"), html)
        XCTAssertTrue(html.contains("<em>other</em>"), html)
    }
}
