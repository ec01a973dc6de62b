import Foundation
import Datasets
import XCTest

/// `grade --rerun`: each student's lab run again; a report whose number was edited and whose
/// digest was recomputed is read like any other, and flagged by its re-run.
final class RerunCommandTests: XCTestCase {
    func testAForgedReportIsFlaggedByItsRerun() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-rerun")
        defer { try? FileManager.default.removeItem(at: directory) }
        var reports: [String] = []
        for student in ["alice", "eve", "finn"] {
            let folder = directory.appendingPathComponent(student)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let lab = try GradeCommandTests.classLab(in: folder, name: "lab", student: student)
            _ = try swiftLab.succeed(["run", "--no-cache", "--out", folder.path, lab.path])
            reports.append(folder.appendingPathComponent("lab.html").path)
        }
        // Eve edits a number and recomputes the digest, as anyone can.
        let html = try String(contentsOfFile: reports[1], encoding: .utf8)
        let auc = try XCTUnwrap(html.range(of: #""auc" : [0-9.]+"#, options: .regularExpression))
        try Self.withDigest(html.replacingCharacters(in: auc, with: "\"auc\" : 0.123")).write(toFile: reports[1], atomically: false, encoding: .utf8)
        // Finn hands in a lab other than the one his report was made from.
        try (try String(contentsOfFile: directory.appendingPathComponent("finn/lab.md").path, encoding: .utf8) + "\nMore prose.\n")
            .write(toFile: directory.appendingPathComponent("finn/lab.md").path, atomically: false, encoding: .utf8)

        let rubric = directory.appendingPathComponent("rubric.yml")
        try GradeCommandTests.rubric.write(to: rubric, atomically: false, encoding: .utf8)
        let plain = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", reports[0]] + reports)
        XCTAssertEqual(plain.status, 0, "without --rerun the forged report reads like any other")

        let checked = try swiftLab.run(["grade", "--rerun", "--rubric", rubric.path, "--reference", reports[0]] + reports)
        XCTAssertEqual(checked.status, 1)
        let rows = checked.stdout.components(separatedBy: "\r\n")
        XCTAssertTrue(rows[0].hasSuffix(",notes,rerun"), rows[0])
        XCTAssertTrue(rows[1].hasSuffix(",same numbers on re-run"), rows[1])
        XCTAssertTrue(rows[2].contains(",numbers differ from the re-run (same engine and BLAS kernels: the report was edited): score s auc 0.123 (re-run "), rows[2])
        XCTAssertTrue(rows[3].hasSuffix(",the lab handed in is not the lab this report was made from"), rows[3])
        XCTAssertTrue(checked.stderr.contains("2 did not give their numbers again on re-run"), checked.stderr)
    }

    /// `html` with the digest of its embedded results recomputed.
    static func withDigest(_ html: String) -> String {
        let start = html.range(of: "data-sha256=\"")!.upperBound
        let json = html[html.range(of: "\">\n", range: start..<html.endIndex)!.upperBound...]
        let embedded = json[..<json.range(of: "\n</script>")!.lowerBound]
        return html.replacingCharacters(in: start..<html.index(start, offsetBy: 64), with: SHA256.hex(of: Array(embedded.utf8)))
    }
}
