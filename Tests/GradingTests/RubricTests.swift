import LabDocument
import XCTest
@testable import Grading

/// The rubric file: every kind of item, and one clear `file:line:column: error:` for a bad one.
final class RubricTests: XCTestCase {
    static let rubric = """
    title: Rotated digits
    items:
      - id: auc
        points: 2
        metric: rotation_error.auc
        tolerance: 0.02
      - id: turning
        points: 3
        challenge: How far must a digit turn?
      - id: hidden_auc
        points: 1.5
        expect: rotation_error.auc >= 0.6
        hidden: true
      - id: q1
        points: 4
        answer: q1
        title: Why do rotated digits score higher?

    """

    func testEveryKindOfItemIsRead() throws {
        let rubric = try RubricReader.read(text: Self.rubric, path: "rubric.yml")
        XCTAssertEqual(rubric.title, "Rotated digits")
        XCTAssertEqual(rubric.items.map(\.id), ["auc", "turning", "hidden_auc", "q1"])
        XCTAssertEqual(rubric.items.map(\.points), [2, 3, 1.5, 4])
        XCTAssertEqual(rubric.items.map(\.hidden), [false, false, true, false])
        XCTAssertEqual(rubric.automaticPoints, 6.5, "answers are graded by hand")
        guard case .metric(let value, let bound) = rubric.items[0].check else { return XCTFail("\(rubric.items[0].check)") }
        XCTAssertEqual(value, RecordedValue("rotation_error.auc"))
        XCTAssertEqual(bound, Tolerance.Bound(absolute: 0.02, relative: 0))
        guard case .challenge("How far must a digit turn?") = rubric.items[1].check else { return XCTFail("\(rubric.items[1].check)") }
        guard case .expectation(_, let expectation) = rubric.items[2].check else { return XCTFail("\(rubric.items[2].check)") }
        XCTAssertEqual(expectation.description, "rotation_error.auc >= 0.6")
        guard case .answer("q1") = rubric.items[3].check else { return XCTFail("\(rubric.items[3].check)") }
        XCTAssertEqual(rubric.items[3].title, "Why do rotated digits score higher?")
        XCTAssertEqual(rubric.items[0].location, SourceLocation(line: 5, column: 13), "where the check is written")
    }

    func testAMetricWithoutToleranceTakesTheDefaultOfItsKind() throws {
        let rubric = try RubricReader.read(text: "items:\n  - {id: loss, points: 1, metric: autoencoder.final_loss}\n", path: "r.yml")
        guard case .metric(_, let bound) = rubric.items[0].check else { return XCTFail() }
        XCTAssertEqual(bound, Tolerance.defaults.bound(for: "final_loss"))
    }

    private func errors(_ text: String) -> [String] {
        do { _ = try RubricReader.read(text: text, path: "rubric.yml"); return [] } catch let error as RubricError {
            return error.diagnostics.map(\.description)
        } catch { return ["\(error)"] }
    }

    func testABadRubricIsOneErrorAtItsLineAndColumn() {
        XCTAssertEqual(errors("items:\n  - id: a\n    points: [1\n"), ["rubric.yml:4:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3)"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 2\n    metric: auc\n"),
                       ["rubric.yml:4:13: error: `metric:` names a recorded value as NAME.metric, e.g. rotation_error.auc"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: -1\n    answer: q\n"), ["rubric.yml:3:13: error: `points:` must be a number from 0 to 10000"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: .nan\n    answer: q\n"), ["rubric.yml:3:13: error: `points:` must be a number from 0 to 10000"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 1e300\n    answer: q\n"), ["rubric.yml:3:13: error: `points:` must be a number from 0 to 10000"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 1\n    expect: s.auc => 0.5\n"),
                       ["rubric.yml:4:13: error: `expect:` is `NAME.metric op number` (op: <, <=, >, >=), e.g. rotation_error.auc >= 0.6"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 1\n    answer: q\n    metric: s.auc\n"),
                       ["rubric.yml:5:5: error: an item checks exactly one of: metric, challenge, expect, answer (this one has answer and metric)"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 1\n    answer: q\n  - id: a\n    points: 1\n    answer: r\n"),
                       ["rubric.yml:5:9: error: item id 'a' is used twice (first at line 2); each item is one column of the gradebook"])
        XCTAssertEqual(errors("items:\n  - id: =HYPERLINK(1)\n    points: 1\n    answer: q\n"),
                       ["rubric.yml:2:9: error: item id must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit"])
        XCTAssertEqual(errors("items:\n  - id: a\n    points: 1\n    answer: q\n    tolerance: 1\n"), ["rubric.yml:5:5: error: `tolerance:` applies to `metric:` items only"])
        XCTAssertEqual(errors("items:\n  - id: a\n    pionts: 1\n    answer: q\n"), [
            "rubric.yml:2:5: error: `points:` must be a number from 0 to 10000",
            "rubric.yml:3:5: error: unknown key 'pionts' in an item (keys: id, points, title, hidden, tolerance, relative, metric, challenge, expect, answer)",
        ].sorted())
        XCTAssertEqual(errors("item: []\n"), ["rubric.yml:1:1: error: unknown key 'item' (a rubric has: title, items)",
                                               "rubric.yml:1:1: error: `items:` must be a list of at least one item, each with `id`, `points` and one of metric, challenge, expect, answer"])
        XCTAssertEqual(errors("- 1\n"), ["rubric.yml:1:1: error: a rubric is a mapping with `items:`, a list of items with points"])
        XCTAssertEqual(errors("a: &x 1\nitems: *x\n"), ["rubric.yml:1:4: error: YAML anchors and aliases (&name, *name) are not allowed in labs; write the value out"])
    }

    func testHostileRubricsAreRefusedQuickly() {
        let deep = "items: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        XCTAssertFalse(errors(deep).isEmpty)
        let many = "items:\n" + (0..<600).map { "  - {id: i\($0), points: 1, answer: q}\n" }.joined()
        XCTAssertEqual(errors(many), ["rubric.yml:502:5: error: a rubric has at most 500 items"])
        let (value, diagnostics) = YAMLFile.read(path: "/dev/zero")
        XCTAssertNil(value)
        XCTAssertEqual(diagnostics.map(\.description), ["/dev/zero: error: not a regular file (a character device)"])
    }

    /// A misspelt value or challenge is caught against the reference, at its line, before anyone is graded.
    func testEveryCheckMustNameSomethingTheReferenceRecorded() throws {
        let reference = try ReportReader.parse(ReportFixture().object, path: "ref.html") { UnreadableReport(path: "ref.html", reason: $0) }
        try RubricReader.check(try RubricReader.read(text: Self.rubric, path: "rubric.yml"), against: reference)
        let wrong = try RubricReader.read(text: "items:\n  - {id: a, points: 1, metric: rotation_eror.auc}\n  - {id: b, points: 1, challenge: Turn}\n", path: "rubric.yml")
        XCTAssertThrowsError(try RubricReader.check(wrong, against: reference)) {
            XCTAssertEqual(($0 as? RubricError)?.diagnostics.map(\.description), [
                "rubric.yml:2:32: error: 'rotation_eror.auc' is not recorded in the reference (ref.html); it records: autoencoder.epochs, autoencoder.final_loss, autoencoder.parameters, rotation_error.ap, rotation_error.auc, rotation_error.f1, rotation_error.samples, rotation_error.threshold",
                "rubric.yml:3:35: error: the reference has no challenge 'Turn' with an expectation; it has: 'How far must a digit turn?'",
            ])
        }
    }
}
