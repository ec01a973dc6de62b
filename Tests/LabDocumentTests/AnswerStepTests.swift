import Foundation
import XCTest
@testable import LabDocument

/// `swift-lab answer`: a question id and Markdown text, outside the lab's computation.
final class AnswerStepTests: XCTestCase {
    static func lab(answer: String) -> String {
        minimalLab + "\n```swift-lab answer\nquestion: q1\n" + answer + "```\n\nAfter the answer.\n"
    }

    func testAnAnswerIsAStepWithAQuestionAndMarkdown() throws {
        let parsed = LabParser.parse(text: Self.lab(answer: "text: |\n  The *code* is too small.\n\n  Two paragraphs.\n"), path: "lab.md")
        XCTAssertEqual(parsed.diagnostics.map(\.description), [])
        let answer = try XCTUnwrap(parsed.lab?.steps.last)
        XCTAssertEqual(answer.kind, .answer)
        XCTAssertEqual(answer["question"]?.string, "q1")
        XCTAssertEqual(answer["text"]?.string, "The *code* is too small.\n\nTwo paragraphs.\n")
    }

    /// Writing an answer, or a longer one, leaves the lab's computation as it was.
    func testTheComputationLeavesAnswersOut() throws {
        let blank = try XCTUnwrap(LabParser.parse(text: Self.lab(answer: ""), path: "lab.md").lab)
        let written = try XCTUnwrap(LabParser.parse(text: Self.lab(answer: "text: |\n  One.\n\n  Two.\n"), path: "lab.md").lab)
        XCTAssertNotEqual(blank.source, written.source)
        XCTAssertEqual(blank.computationSource, written.computationSource)
        XCTAssertTrue(written.computationSource.hasSuffix("```swift-lab answer\nquestion: q1\n```\n\nAfter the answer.\n"), written.computationSource)
        let other = try XCTUnwrap(LabParser.parse(text: Self.lab(answer: "").replacingOccurrences(of: "q1", with: "q2"), path: "lab.md").lab)
        XCTAssertNotEqual(other.computationSource, blank.computationSource, "another question is another lab")
        let edited = try XCTUnwrap(LabParser.parse(text: Self.lab(answer: "text: |\n  One.\n\n  Two.\n").replacingOccurrences(of: "After", with: "Later"), path: "lab.md").lab)
        XCTAssertNotEqual(edited.computationSource, written.computationSource, "prose still counts")
    }

    func testQuestionIDsAreIdentifiersGivenOnce() {
        let twice = Self.lab(answer: "") + "\n```swift-lab answer\nquestion: q1\n```\n"
        XCTAssertEqual(diagnostics(of: twice).last, "lab.md:30:11: error: question 'q1' is answered twice (first at line 23); give each answer its own question id")
        XCTAssertEqual(diagnostics(of: Self.lab(answer: "").replacingOccurrences(of: "question: q1", with: "question: \"=1+1\"")),
                       ["lab.md:24:11: error: a question id is 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit"])
        XCTAssertEqual(diagnostics(of: Self.lab(answer: "").replacingOccurrences(of: "question: q1\n", with: "")).first,
                       "lab.md:23:1: error: the 'answer' step is empty; it needs the key 'question'")
    }
}
