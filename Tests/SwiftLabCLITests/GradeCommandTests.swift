import Foundation
import XCTest

/// `swift-lab grade` on real reports of a small CSV lab: the gradebook, feedback pages, and one
/// clear error for a bad rubric.
final class GradeCommandTests: XCTestCase {
    /// A lab with a score and a challenge, and the student named in its front matter.
    static func classLab(in directory: URL, name: String, student: String?, top: String = "0.25") throws -> URL {
        var rows = ["x,y,label"]
        for i in 0..<40 {
            let anomalous = i % 4 == 0
            rows.append("\(Double(i % 7) / 7 + (anomalous ? 3 : 0)),\(Double(i % 5) / 5 + (anomalous ? 3 : 0)),\(anomalous ? "b" : "a")")
        }
        try (rows.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("class.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("\(name).md")
        try """
        ---
        title: A small class
        params:
          top: \(top)
        \(student.map { "student: \($0)" } ?? "")
        ---

        ```swift-lab load
        dataset: class.csv
        as: points
        ```

        ```swift-lab split
        data: points
        holdout: [b]
        as: marked
        ```

        ```swift-lab score
        method: gaussian
        fit: points
        data: marked
        threshold: {top: ${top}}
        as: s
        ```

        ```swift-lab challenge
        title: Flag more
        prompt: Flag more samples.
        vary: {top: [0.1, 0.25, 0.5]}
        measure: s.f1
        expect: f1 >= 0.6
        ```

        """.write(to: lab, atomically: false, encoding: .utf8)
        return lab
    }

    static let rubric = """
    items:
      - {id: f1, points: 2, metric: s.f1}
      - {id: flag_more, points: 3, challenge: Flag more}
      - {id: secret, points: 1, expect: s.auc >= 0.9, hidden: true}

    """

    func testGradebookAndFeedbackOfAClass() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-grade")
        defer { try? FileManager.default.removeItem(at: directory) }
        func report(_ name: String, student: String?, top: String = "0.25") throws -> String {
            let lab = try Self.classLab(in: directory, name: name, student: student, top: top)
            _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.appendingPathComponent("out").path, lab.path])
            return directory.appendingPathComponent("out/\(name).html").path
        }
        let reference = try report("reference", student: nil)
        let alice = try report("lab-alice", student: "Alice"), bob = try report("bob", student: nil, top: "0.1")
        let truncated = directory.appendingPathComponent("carol.html").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: alice)).prefix(2_000)).write(to: URL(fileURLWithPath: truncated))
        let rubric = directory.appendingPathComponent("rubric.yml")
        try Self.rubric.write(to: rubric, atomically: false, encoding: .utf8)

        let grades = directory.appendingPathComponent("grades.csv").path, feedback = directory.appendingPathComponent("feedback").path
        let result = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", reference, alice, bob, truncated, "-o", grades, "--feedback", feedback])
        XCTAssertEqual(result.status, 1, "one submission could not be read")
        XCTAssertEqual(result.stderr, "graded 2 of 3 submissions; 1 could not be read (see their rows)\n")
        let csv = try String(contentsOfFile: grades, encoding: .ascii)
        XCTAssertEqual(csv, """
        student,file,status,f1,flag_more,secret,total,notes\r
        Alice,\(alice),graded,2,2,1,5,\r
        bob,\(bob),graded,0,2,1,3,top=0.1 (reference 0.25)\r
        carol,\(truncated),unreadable: the file is truncated: its embedded results are missing,,,,,\r

        """)
        let page = try String(contentsOfFile: feedback + "/bob.html", encoding: .utf8)
        XCTAssertTrue(page.contains("Public checks passed: 0 of 2.") && page.contains("2 of 3 values met the expectation"), page)
        XCTAssertFalse(page.contains("secret") || page.contains("s.auc"), "hidden checks stay hidden")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: feedback).sorted(), ["Alice.html", "bob.html", "carol.html"])

        let json = try swiftLab.run(["grade", "--json", "--rubric", rubric.path, "--reference", reference, alice])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((object?["submissions"] as? [[String: Any]])?.first?["total"] as? Double, 5, "two of the challenge's three values meet its expectation: 2 of its 3 points")

        let table = try swiftLab.run(["diff", "--json", "--reference", reference, alice])
        XCTAssertEqual(table.status, 2)
        XCTAssertTrue(table.stderr.contains("--json compares two reports; for a class, use --csv, or swift-lab grade --json"), table.stderr)

        try "items:\n  - {id: f1, points: 2, metric: s.f2}\n".write(to: rubric, atomically: false, encoding: .utf8)
        let misspelt = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", reference, alice])
        XCTAssertEqual(misspelt.status, 2)
        XCTAssertTrue(misspelt.stderr.hasPrefix("\(rubric.path):2:33: error: 's.f2' is not recorded in the reference"), misspelt.stderr)
        try "items:\n  - {id: f1, points: 2\n".write(to: rubric, atomically: false, encoding: .utf8)
        let broken = try swiftLab.run(["grade", "--rubric", rubric.path, "--reference", reference, alice])
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.hasPrefix("\(rubric.path):3:1: error: YAML syntax error"), broken.stderr)
        XCTAssertEqual(broken.stdout, "")
    }
}
