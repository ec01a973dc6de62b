import Foundation
import XCTest

/// Written answers end to end: shown in the report (escaped), listed by `diff` without making the
/// reports differ, and present or missing in the gradebook.
final class AnswerCommandTests: XCTestCase {
    func testAnswersAreShownListedAndNeverADifference() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-answers")
        defer { try? FileManager.default.removeItem(at: directory) }
        func report(_ name: String, answer: String) throws -> String {
            let lab = try SwiftLabProcess.tinyLab(in: directory, name: name, title: "Answers", moreSteps: "```swift-lab answer\nquestion: q1\n\(answer)```\n")
            _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.path, lab.path])
            return directory.appendingPathComponent("\(name).html").path
        }
        let blank = try report("blank", answer: "")
        let written = try report("written", answer: "text: |\n  The *code* is small. <script>alert(1)</script>\n")

        let html = try String(contentsOfFile: written, encoding: .utf8)
        XCTAssertTrue(html.contains("<div class=\"output-answer\">\n<p>The <em>code</em> is small. <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --></p>"), html)
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertTrue(try String(contentsOfFile: blank, encoding: .utf8).contains("To complete: no answer to q1 yet."))

        let diff = try swiftLab.run(["diff", blank, written])
        XCTAssertEqual(diff.status, 0, diff.stdout)
        XCTAssertTrue(diff.stdout.contains("lab: the same"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("answers (not compared):\n  q1: A empty, B 5 words\nverdict: equal within tolerance"), diff.stdout)

        let rubric = directory.appendingPathComponent("rubric.yml")
        try "items:\n  - {id: q1, points: 4, answer: q1}\n".write(to: rubric, atomically: false, encoding: .utf8)
        let grades = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", blank, blank, written])
        XCTAssertEqual(grades.status, 0, grades.stderr)
        // blank.html is named as the reference is: its folder names the student.
        XCTAssertEqual(grades.stdout, "student,file,status,q1,total,notes\r\n\(directory.lastPathComponent),\(blank),graded,0,0,\r\nwritten,\(written),graded,,0,\r\n")
    }
}
