import Foundation
import XCTest

/// The round trip a course makes: the instructor's lab, its handout, a student's completed copy,
/// graded against the instructor's run.
final class HandoutCommandTests: XCTestCase {
    func testHandoutCompletedByAStudentIsGraded() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-handout")
        defer { try? FileManager.default.removeItem(at: directory) }
        let instructorLab = try GradeCommandTests.classLab(in: directory, name: "lab", student: nil)
        let solution = """
        ```swift-lab score
        method: gaussian
        fit: points
        data: marked
        threshold: {top: ${top}}
        as: s
        ```
        """
        var text = try String(contentsOf: instructorLab, encoding: .utf8)
        text = text.replacingOccurrences(of: solution, with: "<!-- solution: Score `marked` with a Gaussian fitted on `points`, as `s`. -->\n\(solution)\n<!-- end solution -->")
        text += "\nWhy does flagging more lower F1?\n\n```swift-lab answer\nquestion: q1\ntext: |\n  Model answer: precision falls.\n```\n"
        try text.write(to: instructorLab, atomically: false, encoding: .utf8)
        _ = try swiftLab.succeed(["check", instructorLab.path])
        _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.appendingPathComponent("reference").path, instructorLab.path])

        let handouts = directory.appendingPathComponent("handout")
        let made = try swiftLab.run(["handout", instructorLab.path, "-o", handouts.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.stderr, "1 part to complete\n")
        let handout = handouts.appendingPathComponent("lab.md")
        let handoutText = try String(contentsOf: handout, encoding: .utf8)
        XCTAssertFalse(handoutText.contains("gaussian") || handoutText.contains("Model answer"), handoutText)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("class.csv"), to: handouts.appendingPathComponent("class.csv"))
        let checked = try swiftLab.run(["check", handout.path])
        XCTAssertEqual(checked.status, 0, checked.stdout)
        XCTAssertTrue(checked.stdout.hasSuffix(": to complete: Score `marked` with a Gaussian fitted on `points`, as `s`.\n"), checked.stdout)
        XCTAssertEqual(checked.stderr, "checked 1 lab: no problems; 1 part to complete\n")
        let unfinished = try swiftLab.run(["run", "--no-cache", "--out", directory.appendingPathComponent("unfinished").path, handout.path])
        XCTAssertEqual(unfinished.status, 1)
        XCTAssertTrue(unfinished.stderr.contains("error: to complete: Score `marked`"), unfinished.stderr)

        // The student completes the part, answers the question and names themself.
        let todo = try XCTUnwrap(handoutText.range(of: "```swift-lab todo")), end = try XCTUnwrap(handoutText.range(of: "```\n", range: todo.upperBound..<handoutText.endIndex))
        var completed = handoutText.replacingCharacters(in: todo.lowerBound..<end.upperBound, with: solution + "\n")
        completed = completed.replacingOccurrences(of: "question: q1\n", with: "question: q1\ntext: Fewer of the flagged samples are anomalies.\n")
        completed = completed.replacingOccurrences(of: "title: A small class\n", with: "title: A small class\nstudent: Dana\n")
        let studentLab = directory.appendingPathComponent("dana/lab.md")
        try FileManager.default.createDirectory(at: studentLab.deletingLastPathComponent(), withIntermediateDirectories: true)
        try completed.write(to: studentLab, atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("class.csv"), to: studentLab.deletingLastPathComponent().appendingPathComponent("class.csv"))
        _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.appendingPathComponent("dana").path, studentLab.path])

        let rubric = directory.appendingPathComponent("rubric.yml")
        try (GradeCommandTests.rubric + "  - {id: q1, points: 4, answer: q1}\n").write(to: rubric, atomically: false, encoding: .utf8)
        let reference = directory.appendingPathComponent("reference/lab.html").path, submission = directory.appendingPathComponent("dana/lab.html").path
        let graded = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", reference, submission])
        XCTAssertEqual(graded.status, 0, graded.stderr)
        XCTAssertEqual(graded.stdout, "student,file,status,f1,flag_more,secret,q1,total,notes\r\nDana,\(submission),graded,2,2,1,,5,\r\n")
    }
}
