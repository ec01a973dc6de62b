import Foundation
import XCTest
@testable import Grading

/// Bad input: one clear reason per file, never a crash.
final class ReaderTests: TemporaryDirectoryTestCase {
    private func reason(_ name: String, _ contents: String) throws -> String? {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: false, encoding: .utf8)
        do { _ = try ReportReader.read(path: url.path); return nil } catch let error as UnreadableReport { return error.reason }
    }

    func testEveryKindOfBadReportGetsItsReason() throws {
        let html = ReportFixture().html
        // Cut at every 97th byte: always a clear reason, never a crash.
        let bytes = Array(html.utf8)
        for cut in stride(from: 0, to: bytes.count - 20, by: 97) {
            let reason = try reason("cut.html", String(decoding: bytes[..<cut], as: UTF8.self))
            XCTAssertNotNil(reason, "cut at \(cut)")
        }
        let half = String(html.prefix(html.count * 2 / 3))
        XCTAssertEqual(try reason("truncated.html", half), "the file is truncated inside its embedded results")
        let early = String(html.prefix(120))
        XCTAssertEqual(try reason("early.html", early), "the file is truncated: its embedded results are missing")
        XCTAssertEqual(try reason("other.html", "<html><body><script>var x = 1;</script></body></html>"), "not a swift-lab report (no embedded results)")
        XCTAssertEqual(try reason("tampered.html", html.replacingOccurrences(of: "0.9512", with: "0.9912")),
                       "the embedded results were altered: their SHA-256 does not match the report's")
        var newer = ReportFixture()
        newer.format = 2
        XCTAssertEqual(try reason("newer.html", newer.html), "results format 2 is newer than this swift-lab reads (1); update swift-lab")
        XCTAssertEqual(try reason("bad.json", "{\"format\": 1"), "not a swift-lab results file (not valid JSON)")
        XCTAssertEqual(try reason("list.json", "[1, 2]"), "not a swift-lab report (the results have no format version)")
        XCTAssertEqual(try reason("partial.json", "{\"format\": 1, \"lab\": \"x.md\"}"), "the results lack the lab, its checksum, the seed or the results")
        XCTAssertEqual(try reason("undigested.html", html.replacingOccurrences(of: #" data-sha256="[0-9a-f]{64}""#, with: "", options: .regularExpression)),
                       "the report has no digest of its results")
        XCTAssertThrowsError(try ReportReader.read(path: directory.appendingPathComponent("missing.html").path)) {
            XCTAssertEqual(($0 as? UnreadableReport)?.description, directory.appendingPathComponent("missing.html").path + ": no such file")
        }
        let binary = directory.appendingPathComponent("binary.html")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: binary)
        XCTAssertThrowsError(try ReportReader.read(path: binary.path)) {
            XCTAssertEqual(($0 as? UnreadableReport)?.reason, "not a swift-lab report (not UTF-8 text)")
        }
    }

    /// A results file is vouched for by the report beside it, whose digest covers the same results:
    /// a forged number, a missing report or a pair left by an interrupted run is refused.
    func testAResultsFileIsReadOnlyBesideItsOwnReport() throws {
        let fixture = ReportFixture()
        let alone = "results are graded only beside their report: \(directory.appendingPathComponent("a.html").path) is missing"
        XCTAssertEqual(try reason("a.json", fixture.json), alone)
        try fixture.html.write(to: directory.appendingPathComponent("a.html"), atomically: false, encoding: .utf8)
        XCTAssertNil(try reason("a.json", fixture.json))
        XCTAssertEqual(try reason("a.json", fixture.json.replacingOccurrences(of: "0.9512", with: "0.9999")),
                       "these results do not belong to the report beside them (\(directory.appendingPathComponent("a.html").path)): the pair was not written by one run")
        var other = ReportFixture()
        other.auc = 0.9012
        try other.html.write(to: directory.appendingPathComponent("a.html"), atomically: false, encoding: .utf8)
        XCTAssertNotNil(try reason("a.json", fixture.json), "an older report beside newer results")
    }
}
