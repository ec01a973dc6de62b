import XCTest
@testable import LabDocument

/// docs/lab-format.md must document exactly the keys `check` accepts.
final class DocumentationTests: XCTestCase {
    private func document() throws -> String {
        try String(contentsOf: Repository.root.appendingPathComponent("docs/lab-format.md"), encoding: .utf8)
    }

    func testReferenceSectionIsTheGeneratedOne() throws {
        let text = try document()
        let start = try XCTUnwrap(text.range(of: "<!-- reference:start -->\n"))
        let end = try XCTUnwrap(text.range(of: "<!-- reference:end -->"))
        XCTAssertEqual(String(text[start.upperBound..<end.lowerBound]), SchemaReference.markdown(),
                       "run `make docs` to regenerate the reference in docs/lab-format.md")
    }

    func testEveryKeyIsDocumentedInItsSection() throws {
        let text = try document()
        for (section, keys) in SchemaReference.keyNames() {
            for key in keys {
                XCTAssertTrue(text.contains("| `\(key)` |"), "\(section): key '\(key)' is not documented")
            }
        }
    }

    func testEveryStepKindHasAnExampleInTheGuide() throws {
        let text = try document()
        for kind in StepKind.allCases {
            XCTAssertTrue(text.contains("```swift-lab \(kind.rawValue)\n"), "no example of a '\(kind.rawValue)' step")
        }
    }
}
