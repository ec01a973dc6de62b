import Foundation
import XCTest

/// What a lab's prose becomes in its report: GitHub's tables, a local image embedded, a remote
/// one a link, the contents following the headings; and a bad image stops `check` and `run`.
final class ProseInReportTests: XCTestCase {
    /// A 2×2 grey PNG.
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADElEQVR4nGNg+A+EAAYAAf+T0eSJAAAAAElFTkSuQmCC")!

    func testTablesImagesAndContentsReachTheReport() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-prose")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.png.write(to: directory.appendingPathComponent("fig.png"))
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "prose", title: "Prose", moreSteps: """
        ## What we measure

        | metric | meaning |
        | --- | --- |
        | AUC | ranking |

        ![the pipeline](fig.png) ![a tracker](https://example.org/pixel.png)

        ```swift-lab score
        method: gaussian
        fit: tiny
        data: tiny
        as: s
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: directory.appendingPathComponent("prose.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<th>metric</th>"), "a GitHub table")
        XCTAssertTrue(html.contains("<img src=\"data:image/png;base64,\(Self.png.base64EncodedString())\" alt=\"the pipeline\" />"), "the image, embedded")
        XCTAssertTrue(html.contains("<a href=\"https://example.org/pixel.png\">a tracker</a>"), "a remote image is a link")
        XCTAssertFalse(html.contains("src=\"https:"), "nothing is loaded from the network")
        XCTAssertEqual(html.components(separatedBy: ">Prose</h1>").count - 1, 1, "the title once, in the header")
        XCTAssertTrue(html.contains("<a href=\"#section-3-1\">What we measure</a>\n<ul class=\"steps\">\n<li><a href=\"#step-4\">score: s</a></li>"), "contents: the heading, its step nested")
    }

    func testAnImageOutsideTheLabsFolderStopsCheckAndRun() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-prose")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "escape", title: "Escape", moreSteps: "![secret](../secret.png)\n")
        for command in ["check", "run"] {
            let result = try swiftLab.run(command == "run" ? ["run", "--out", directory.path, lab.path] : ["check", lab.path])
            XCTAssertEqual(result.status, 1, command)
            XCTAssertTrue(result.stderr.contains("\(lab.path):8:1: error: image '../secret.png' cannot be shown: '..' leaves the lab's folder; images must be inside it")
                          || result.stdout.contains("\(lab.path):8:1: error: image '../secret.png'"), "\(command): \(result.stdout)\(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("escape.html").path), "a lab that does not check is not run")
    }
}
