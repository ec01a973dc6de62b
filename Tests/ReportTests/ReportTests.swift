import Charts
import Foundation
import XCTest
@testable import Report

final class ReportTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A report with one of everything, hostile text included.
    static func sample(charts: Int = 2) -> ReportDocument {
        let roc = Chart.roc([(name: "VAE", falsePositiveRate: [0, 0.2, 1], truePositiveRate: [0, 0.8, 1], auc: 0.8)])
        var cells: [ReportDocument.Cell] = [
            .prose(markdown: "# Intro\n\nSome *prose* with <script>alert('prose')</script> and [a link](javascript:alert(1)).\n"),
            .step(.init(kind: "load", title: "mnist test", line: 7, source: "dataset: mnist\nas: <digits>\n",
                        outputs: [.table(header: ["class", "samples"], rows: [["0", "980"], ["1", "1135"]])])),
        ]
        for i in 0..<charts {
            cells.append(.step(.init(kind: "plot", title: "roc \(i)", line: 20 + i, source: "kind: roc\n", outputs: [.chart(svg: roc, caption: "ROC \(i)")])))
        }
        cells.append(.step(.init(kind: "score", title: "elbo", line: 40, source: "method: elbo\n", status: .failed, error: "the loss became NaN & <nothing> was scored")))
        cells.append(.step(.init(kind: "plot", title: "kde", line: 50, source: "kind: kde\n", status: .notrun)))
        return ReportDocument(title: "Sample <lab>", description: "What & why", labPath: "Labs/sample.md", seed: 12,
                              parameters: [.init(name: "epochs", value: "2", defaultValue: "50")], cells: cells,
                              metrics: [.init(name: "elbo", method: "elbo", auc: "0.347", ap: "0.080", f1: "-")],
                              run: [(key: "engine", value: "0.1.0"), (key: "seconds", value: "1.5")],
                              resultsJSON: "{\"note\": \"</script><script>alert(1)</script>\"}")
    }

    func testBuiltInTemplatesAreTheRepositoryTemplates() throws {
        for name in ReportTemplates.names {
            let file = try String(contentsOf: Self.root.appendingPathComponent("Templates/\(name).mustache"), encoding: .utf8)
            XCTAssertEqual(ReportTemplates.builtIn.sources[name], file, "run scripts/embed-templates after editing Templates/\(name).mustache")
        }
    }

    func testReportIsSelfContainedAndEscaped() throws {
        let html = try ReportRenderer(templates: .builtIn).render(Self.sample())
        XCTAssertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"))
        XCTAssertNil(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression), "no network URL")
        XCTAssertFalse(html.contains("<script>alert"), "prose HTML and JSON cannot inject scripts")
        XCTAssertFalse(html.contains("javascript:"))
        XCTAssertTrue(html.contains("<title>Sample &lt;lab&gt;</title>"))
        XCTAssertTrue(html.contains("as: &lt;digits&gt;"), "step sources are escaped")
        XCTAssertTrue(html.contains("the loss became NaN &amp; &lt;nothing&gt; was scored"))
        XCTAssertTrue(html.contains("Not run: an earlier step failed."))
        XCTAssertTrue(html.contains("<em>prose</em>"), "prose is rendered by cmark")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2)
        XCTAssertTrue(html.contains("(set on the command line; default 50)"))
        let run = try XCTUnwrap(html.range(of: "<footer class=\"run\""))
        XCTAssertNil(html[run.upperBound...].range(of: "<section"), "the run section comes last")
    }

    func testRenderingIsDeterministic() throws {
        let renderer = ReportRenderer(templates: .builtIn)
        XCTAssertEqual(try renderer.render(Self.sample()), try renderer.render(Self.sample()))
    }

    func testTemplatesFromADirectoryOverrideTheBuiltInOnes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "body { color: rebeccapurple; }".write(to: directory.appendingPathComponent("style.mustache"), atomically: false, encoding: .utf8)
        let html = try ReportRenderer(templates: try .load(directory: directory.path)).render(Self.sample())
        XCTAssertTrue(html.contains("rebeccapurple"))
        XCTAssertTrue(html.contains("<!DOCTYPE html>"), "the page template still comes from the built-in copy")
    }

    func testWriterLeavesNoTemporaryFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try ReportWriter.write(html: "<html></html>", json: "{}", to: directory.appendingPathComponent("lab.html").path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["lab.html", "lab.json"])
    }

    /// A killed writer's temporary files go with the next write to the same place; a running
    /// writer's stay.
    func testWriterRemovesWhatAKilledWriterLeft() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dead = ".lab.json.2147483646.tmp", alive = ".lab.html.\(getppid()).tmp"
        for name in [dead, alive] { FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data()) }
        try ReportWriter.write(html: "<html></html>", json: "{}", to: directory.appendingPathComponent("lab.html").path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), [alive, "lab.html", "lab.json"])
    }

    /// While its two files are written, a writer has named nothing: killed then, it leaves the
    /// old pair and no file at all (an unnamed file goes with its descriptor, as with its process).
    func testFilesBeingWrittenHaveNoName() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        var staged: StagedFile? = try StagedFile(Data("<html>new</html>".utf8), for: directory.appendingPathComponent("lab.html"))
        XCTAssertNotNil(staged)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["lab.html", "lab.json"])
        staged = nil
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["lab.html", "lab.json"])
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("lab.html"), encoding: .utf8), "<html>old</html>")
    }

    /// Killed between its two renames, a writer leaves the new report and its results under a
    /// temporary name: preparing the next run moves them in, completing the new pair.
    func testAPairSplitByAKillIsCompletedBeforeTheNextRun() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "<html>new</html>".write(to: directory.appendingPathComponent("lab.html"), atomically: false, encoding: .utf8)
        try "{\"new\": 1}".write(to: directory.appendingPathComponent(".lab.json.2147483646.tmp"), atomically: false, encoding: .utf8)
        try ReportWriter.prepare(directory.appendingPathComponent("lab.html").path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["lab.html", "lab.json"])
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("lab.json"), encoding: .utf8), "{\"new\": 1}")
    }

    /// Killed after naming its files but before renaming either, a writer's files go and the old
    /// pair stays; a live writer's files are left alone.
    func testAKilledWritersUnmovedFilesGoAndTheOldPairStays() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alive = ".lab.json.\(getppid()).tmp"
        for name in [".lab.html.2147483646.tmp", ".lab.json.2147483646.tmp", ".lab.html.2147483645.tmp", alive] {
            FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data("new".utf8))
        }
        try ReportWriter.prepare(directory.appendingPathComponent("lab.html").path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), [alive, "lab.html", "lab.json"])
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("lab.html"), encoding: .utf8), "<html>old</html>")
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("lab.json"), encoding: .utf8), "{\"old\": 1}")
    }

    /// Where files cannot be unnamed, the temporary name is made afresh: a symlink planted under
    /// it (to a file the attacker wants overwritten) is removed, never written through.
    func testANamedTemporaryNeverWritesThroughAPlantedLink() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        let victim = directory.appendingPathComponent("victim.txt")
        try "precious".write(to: victim, atomically: false, encoding: .utf8)
        let target = directory.appendingPathComponent("lab.html")
        try FileManager.default.createSymbolicLink(atPath: Pair.temporary(for: target).path, withDestinationPath: victim.path)
        let staged = try StagedFile(Data("<html>new</html>".utf8), for: target, unnamed: false)
        try staged.moveIntoPlace()
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "precious")
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "<html>new</html>")
        var status = stat()
        XCTAssertEqual(lstat(target.path, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFREG, "the report is a file, not the planted link")
    }

    /// A directory where the results go (planted, or left under a temporary name) is refused
    /// before anything is renamed: the old pair stays whole, and nothing moves a directory in.
    func testADirectoryInThePairsPlaceIsRefusedBeforeAnyRename() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        let planted = directory.appendingPathComponent(".lab.json.2147483646.tmp")
        try FileManager.default.createDirectory(at: planted, withIntermediateDirectories: false)
        try ReportWriter.prepare(directory.appendingPathComponent("lab.html").path)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("lab.json"), encoding: .utf8), "{\"old\": 1}", "the directory was not moved in")

        try FileManager.default.removeItem(at: directory.appendingPathComponent("lab.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lab.json"), withIntermediateDirectories: false)
        let path = directory.appendingPathComponent("lab.html").path
        XCTAssertThrowsError(try ReportWriter.prepare(path)) {
            XCTAssertEqual("\($0)", "cannot write \(directory.path)/lab.json: something other than a file is in its place")
        }
        XCTAssertThrowsError(try ReportWriter.write(html: "<html>new</html>", json: "{}", to: path))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "<html>old</html>", "the report was not replaced")
    }

    /// A name so long that its temporary name cannot be made is refused before the run.
    func testANameTooLongForItsTemporaryIsRefusedBeforeTheRun() throws {
        let directory = try Self.directoryWithOldPair()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(String(repeating: "n", count: 245) + ".html").path
        XCTAssertThrowsError(try ReportWriter.prepare(path)) {
            XCTAssertTrue("\($0)".hasSuffix(": file name too long"), "\($0)")
        }
    }

    private static func directoryWithOldPair() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try ReportWriter.write(html: "<html>old</html>", json: "{\"old\": 1}", to: directory.appendingPathComponent("lab.html").path)
        return directory
    }

    /// A full disk and a read-only file system: one sentence naming the file and the cause, no
    /// temporary file, and the previous pair untouched. (Needs root to mount a small tmpfs.)
    func testWriteFailuresLeaveTheOldPairAndOneSentence() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            _ = Self.shell("umount \(directory.path)")
            try? FileManager.default.removeItem(at: directory)
        }
        guard Self.shell("mount -t tmpfs -o size=64k tmpfs \(directory.path)") == 0 else { throw XCTSkip("cannot mount a tmpfs here (not root?)") }
        let path = directory.appendingPathComponent("lab.html").path
        try ReportWriter.write(html: "<html>old</html>", json: "{\"old\": 1}", to: path)
        XCTAssertThrowsError(try ReportWriter.write(html: String(repeating: "x", count: 200_000), json: "{}", to: path)) {
            XCTAssertEqual("\($0)", "cannot write \(path): no space left on device")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["lab.html", "lab.json"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "<html>old</html>")

        XCTAssertEqual(Self.shell("mount -o remount,ro \(directory.path)"), 0)
        XCTAssertThrowsError(try ReportWriter.checkWritable(directory: directory.path)) {
            XCTAssertEqual("\($0)", "cannot write reports to \(directory.path): read-only file system")
        }
        XCTAssertThrowsError(try ReportWriter.write(html: "<html>new</html>", json: "{}", to: path)) {
            XCTAssertEqual("\($0)", "cannot write \(path): read-only file system")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "<html>old</html>")
        XCTAssertThrowsError(try ReportWriter.checkWritable(directory: path)) {
            XCTAssertEqual("\($0)", "cannot write reports to \(path): it is not a directory")
        }
    }

    private static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
