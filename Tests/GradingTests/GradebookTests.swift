import Foundation
import XCTest
@testable import Grading

/// A class graded against a rubric: the marks of every kind of item, the CSV read back, and
/// hostile submissions that get a row, never a crash.
final class GradebookTests: TemporaryDirectoryTestCase {
    private var rubric: Rubric!
    private var reference: GradedReport!

    override func setUpWithError() throws {
        try super.setUpWithError()
        rubric = try RubricReader.read(text: RubricTests.rubric, path: "rubric.yml")
        reference = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("reference.html")))
    }

    private func submit(_ name: String, _ change: (inout ReportFixture) -> Void = { _ in }) throws -> String {
        var fixture = ReportFixture()
        change(&fixture)
        return try fixture.write(to: directory.appendingPathComponent(name))
    }

    func testEveryKindOfItemIsMarked() throws {
        let alice = try submit("alice.html") { $0.answers = [("q1", "Because the decoder never saw them.")]; $0.student = "Alice Martin" }
        let bob = try submit("bob.html") { $0.auc = 0.7; $0.challengePasses = [true, false, false] }
        let carol = try submit("carol.html") { $0.auc = 0.5; $0.answers = [("q1", "  \n")]; $0.challengePasses = [] }
        let book = Gradebook(rubric: rubric, reference: reference, submissions: [alice, bob, carol])
        XCTAssertEqual(book.rows.map(\.student), ["Alice Martin", "bob", "carol"], "the report's student:, else the file name")
        XCTAssertEqual(book.rows[0].marks.map(\.points), [2, 3 * 1 / 2, 1.5, nil], "one of two challenge values met its expectation; the answer is the grader's")
        XCTAssertEqual(book.rows[0].marks[3].outcome, .received)
        XCTAssertEqual(book.rows[1].marks.map(\.points), [0, 1, 1.5, 0])
        XCTAssertEqual(book.rows[1].marks[0].detail, "outside the tolerance")
        XCTAssertEqual(book.rows[1].marks[1].outcome, .partly(met: 1, of: 3))
        XCTAssertEqual(book.rows[1].marks[3], .init(points: 0, outcome: .missing, detail: "no answer to q1"))
        XCTAssertEqual(book.rows[2].marks.map(\.points), [0, 0, 0, 0], "a blank answer is no answer; a challenge not run earns nothing")
        XCTAssertEqual(book.rows.map(\.total), [5, 2.5, 0])
        XCTAssertTrue(book.allRead)
    }

    func testAChallengeWhoseExpectationWasEditedEarnsNothing() throws {
        var fixture = ReportFixture()
        fixture.challengePasses = [true, true]
        let edited = fixture.html.replacingOccurrences(of: "auc >= 0.8", with: "auc >= 0")
        let path = directory.appendingPathComponent("edited.html").path
        // Recompute the digest as a student could: the reader accepts it, the grade does not.
        try ReportFixture.withDigest(edited).write(toFile: path, atomically: false, encoding: .utf8)
        let row = Gradebook(rubric: rubric, reference: reference, submissions: [path]).rows[0]
        XCTAssertEqual(row.marks[1], .init(points: 0, outcome: .failed, detail: "expectation changed to auc >= 0"))
    }

    func testTheCSVReadsBackWithNumericColumns() throws {
        let alice = try submit("alice.html") { $0.answers = [("q1", "yes")] }
        let bob = try submit("bob.html") { $0.auc = 0.7; $0.seed = 3; $0.parameters["angle"] = "45" }
        let truncated = directory.appendingPathComponent("truncated.html").path
        try String(ReportFixture().html.prefix(120)).write(toFile: truncated, atomically: false, encoding: .utf8)
        let book = Gradebook(rubric: rubric, reference: reference, submissions: [alice, bob, truncated])
        let csv = GradebookText.csv(book)
        XCTAssertTrue(csv.unicodeScalars.allSatisfy(\.isASCII))
        let records = CSVRecords.parse(csv)
        XCTAssertEqual(records.count, 4)
        XCTAssertEqual(records[0], ["student", "file", "status", "auc", "turning", "hidden_auc", "q1", "total", "notes"])
        XCTAssertEqual(records[1], ["alice", alice, "graded", "2", "1.5", "1.5", "", "5", ""])
        XCTAssertEqual(records[2], ["bob", bob, "graded", "0", "1.5", "1.5", "0", "3", "seed 3 (reference 12); angle=45 (reference 90)"])
        XCTAssertEqual(records[3], ["truncated", truncated, "unreadable: the file is truncated: its embedded results are missing", "", "", "", "", "", ""])
        for record in records.dropFirst() {
            for cell in record[3...7] where !cell.isEmpty { XCTAssertNotNil(Double(cell), "\(cell) is a number") }
        }
    }

    func testTheJSONCarriesEveryMark() throws {
        let alice = try submit("alice.html") { $0.answers = [("q1", "yes")] }
        let book = Gradebook(rubric: rubric, reference: reference, submissions: [alice, directory.appendingPathComponent("none.html").path])
        let object = try JSONSerialization.jsonObject(with: Data(try GradebookText.json(book).utf8)) as? [String: Any]
        XCTAssertEqual(object?["automatic_points"] as? Double, 6.5)
        let rows = object?["submissions"] as? [[String: Any]]
        XCTAssertEqual(rows?[0]["total"] as? Double, 5)
        XCTAssertEqual(((rows?[0]["items"] as? [String: Any])?["turning"] as? [String: Any])?["outcome"] as? String, "1/2 values met the expectation")
        XCTAssertTrue(((rows?[0]["items"] as? [String: Any])?["q1"] as? [String: Any])?["points"] is NSNull)
        XCTAssertEqual(rows?[1]["problem"] as? String, "no such file")
        XCTAssertTrue(rows?[1]["total"] is NSNull)
    }

    /// Submissions are the students' files: whatever they hold, one row each, inert text.
    func testHostileSubmissionsGetARowSayingWhy() throws {
        let fifo = directory.appendingPathComponent("fifo.html").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let forged = directory.appendingPathComponent("forged.html").path
        try ReportFixture().html.replacingOccurrences(of: "0.9512", with: "0.9999").write(toFile: forged, atomically: false, encoding: .utf8)
        let formula = try submit("formula.html") { $0.student = "=HYPERLINK(\"http://x\",\"y\")\u{1B}[2J\nforged,row" }
        let accents = try submit("zoe.html") { $0.student = "Zoë\u{202E}" }
        let binary = directory.appendingPathComponent("binary.html").path
        try Data([0, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: binary))
        let started = Date()
        let book = Gradebook(rubric: rubric, reference: reference, submissions: [fifo, directory.path, forged, formula, accents, binary])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a FIFO is refused, never waited on")
        XCTAssertEqual(book.rows.map(\.problem), ["not a regular file (a FIFO)", "is a directory",
                                                  "the embedded results were altered: their SHA-256 does not match the report's",
                                                  nil, nil, "not a swift-lab report (not UTF-8 text)"])
        let records = CSVRecords.parse(GradebookText.csv(book))
        XCTAssertEqual(records.count, 7, "a line break in a student id cannot add a row")
        XCTAssertEqual(records[4][0], "'=HYPERLINK(\"http://x\",\"y\")\\e[2J\\u{A}forged,row")
        XCTAssertEqual(records[5][0], "Zo\\u{EB}\\u{202E}")
    }

    /// `submissions/alice/lab.html`, named as the reference is: the folder names the student.
    func testAReportNamedAsTheLabIsNamedByItsFolder() throws {
        let folder = directory.appendingPathComponent("alice")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = try ReportFixture().write(to: folder.appendingPathComponent("reference.html"))
        XCTAssertEqual(Gradebook(rubric: rubric, reference: reference, submissions: [path, folder.appendingPathComponent("missing.html").path]).rows.map(\.student), ["alice", "missing"])
    }

    func testAStudentIDGivenTwiceIsNoted() throws {
        let a = try submit("a.html") { $0.student = "sam" }, b = try submit("b.html") { $0.student = "sam" }
        let book = Gradebook(rubric: rubric, reference: reference, submissions: [a, b])
        XCTAssertEqual(book.rows[1].notes, ["student id also in \(a)"])
    }
}

/// A class of 300 generated submissions, of every kind a course sees, graded in well under a minute.
final class GradebookClassTests: TemporaryDirectoryTestCase {
    func testThreeHundredSubmissionsAreGradedQuickly() throws {
        let rubric = try RubricReader.read(text: RubricTests.rubric, path: "rubric.yml")
        let reference = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("reference.html")))
        var paths: [String] = []
        for i in 0..<300 {
            var fixture = ReportFixture()
            fixture.student = "student \(i)"
            let url = directory.appendingPathComponent("s\(i).html")
            switch i % 5 {
            case 0: fixture.answers = [("q1", "An answer.")]                       // equal, answered
            case 1: fixture.parameters["angle"] = "45"; fixture.auc = 0.7          // changed parameters
            case 2: break                                                          // missing answer
            case 3: try String(fixture.html.prefix(fixture.html.count / 2)).write(to: url, atomically: false, encoding: .utf8)  // truncated
            default: try fixture.html.replacingOccurrences(of: "0.9512", with: "0.99").write(to: url, atomically: false, encoding: .utf8)  // forged
            }
            if i % 5 < 3 { _ = try fixture.write(to: url) }
            paths.append(url.path)
        }
        let started = Date()
        let book = Gradebook(rubric: rubric, reference: reference, submissions: paths)
        let csv = GradebookText.csv(book)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(CSVRecords.parse(csv).count, 301)
        XCTAssertEqual(book.rows.filter { $0.status == .unreadable }.count, 120)
        XCTAssertEqual(book.rows.filter { $0.marks.last?.outcome == .received }.count, 60)
        XCTAssertEqual(book.rows.filter { $0.notes.contains("angle=45 (reference 90)") }.count, 60)
    }
}
