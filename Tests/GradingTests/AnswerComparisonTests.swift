import XCTest
@testable import Grading

/// Answers are listed per question and never make two reports differ.
final class AnswerComparisonTests: XCTestCase {
    func testAnswersAreListedNotCompared() throws {
        func report(_ fixture: ReportFixture) throws -> GradedReport {
            try ReportReader.parse(fixture.object, path: "r.html") { UnreadableReport(path: "r.html", reason: $0) }
        }
        var answered = ReportFixture()
        answered.answers = [("q1", "Because."), ("q2", "It is **small**.")]
        let comparison = ReportComparison(try report(ReportFixture()), try report(answered), tolerance: .defaults)
        XCTAssertTrue(comparison.isEqual)
        XCTAssertTrue(comparison.metricsOnlyInB.isEmpty && comparison.stepsOnlyInB.isEmpty)
        XCTAssertEqual(comparison.answers.map(\.question), ["q1", "q2"])
        XCTAssertEqual(comparison.answers.map(\.b), ["Because.", "It is **small**."])
        XCTAssertTrue(ComparisonText.summary(comparison).hasSuffix("answers (not compared):\n  q1: A none, B 1 word\n  q2: A none, B 3 words\nverdict: equal within tolerance"))
    }
}
