import Foundation
import XCTest
@testable import Grading

/// Feedback pages: public checks only, escaped, one file per student whatever the student id says.
final class FeedbackTests: TemporaryDirectoryTestCase {
    func testFeedbackListsPublicChecksOnly() throws {
        let rubric = try RubricReader.read(text: RubricTests.rubric, path: "rubric.yml")
        let reference = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("reference.html")))
        var alice = ReportFixture()
        alice.student = "alice"
        alice.challengePasses = [true, true]
        var mallory = ReportFixture()
        mallory.student = "../../<script>alert(1)</script>"
        mallory.auc = 0.3
        let paths = [try alice.write(to: directory.appendingPathComponent("a.html")), try mallory.write(to: directory.appendingPathComponent("m.html"))]
        let book = Gradebook(rubric: rubric, reference: reference, submissions: paths)
        let pages = directory.appendingPathComponent("feedback")
        let written = try Feedback.write(book, to: pages)
        XCTAssertEqual(written.map { URL(fileURLWithPath: $0).lastPathComponent }, ["alice.html", "_______script_alert_1___script_.html"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: pages.path).count, 2, "nothing written outside the directory")

        let good = try String(contentsOfFile: written[0], encoding: .utf8)
        XCTAssertTrue(good.contains("Public checks passed: 2 of 2."), good)
        XCTAssertFalse(good.lowercased().contains("all tests passed"))
        XCTAssertFalse(good.contains("0.6"), "the hidden expectation's bound is not shown")
        XCTAssertFalse(good.contains("hidden_auc"))
        XCTAssertFalse(good.contains("0.9512"), "nor the reference's values")
        XCTAssertTrue(good.contains("<td>Why do rotated digits score higher?</td><td>missing (no answer to q1)</td><td>0 of 4</td>"), good)

        let bad = try String(contentsOfFile: written[1], encoding: .utf8)
        XCTAssertTrue(bad.contains("Student: ../../&lt;script&gt;alert(1)&lt;/script&gt;"), bad)
        XCTAssertFalse(bad.contains("<script>"))
        XCTAssertTrue(bad.contains("Public checks passed: 0 of 2."), bad)
    }

    /// A student's bidirectional override would show the grader reversed text: it shows as U+FFFD.
    func testDirectionalControlsAreShownNotObeyed() {
        XCTAssertEqual(Feedback.escaped("alice\u{202E}gpj.exe\u{2066}x\u{2069} שלום"), "alice\u{FFFD}gpj.exe\u{FFFD}x\u{FFFD} שלום")
    }
}
