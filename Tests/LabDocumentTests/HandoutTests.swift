import XCTest
@testable import LabDocument

/// Handouts: solutions out, a part to complete in their place that still checks, answers emptied.
final class HandoutTests: XCTestCase {
    static let lab = minimalLab + """


    <!-- solution: Score the digits by reconstruction error, as `errors`. -->
    ```swift-lab score
    method: reconstruction-error
    model: ae
    data: digits
    as: errors
    ```

    The model answer explains why.
    <!-- end solution -->

    ```swift-lab plot
    kind: histogram
    scores: errors
    ```

    ```swift-lab answer
    question: q1
    text: |
      The model answer.
    ```

    """

    func testSolutionsBecomePartsToCompleteThatCheck() throws {
        let (text, problems) = Handout.make(text: Self.lab, path: "lab.md")
        XCTAssertEqual(problems.map(\.description), [])
        let handout = try XCTUnwrap(text)
        XCTAssertFalse(handout.contains("reconstruction-error") || handout.contains("model answer") || handout.contains("solution"), handout)
        XCTAssertTrue(handout.contains("""
        ```swift-lab todo
        task: "Score the digits by reconstruction error, as `errors`."
        scores: [errors]
        ```

        ```swift-lab plot
        """), handout)
        XCTAssertTrue(handout.hasSuffix("```swift-lab answer\nquestion: q1\n```\n"), handout)
        XCTAssertEqual(diagnostics(of: handout), ["lab.md:24:1: to complete: Score the digits by reconstruction error, as `errors`."])
        XCTAssertFalse(LabParser.parse(text: handout, path: "lab.md").hasErrors)
    }

    func testMarkersAreCheckedAndAMarkerInsideAStepIsText() {
        func errors(_ text: String) -> [String] { Handout.make(text: text, path: "lab.md").1.map(\.description) }
        XCTAssertEqual(errors(minimalLab + "\n\n<!-- solution -->\ntext\n"), ["lab.md:24:1: error: solution opened here is never closed with <!-- end solution -->"])
        XCTAssertEqual(errors(minimalLab + "\n\n<!-- end solution -->\n"), ["lab.md:24:1: error: <!-- end solution --> without a solution to end"])
        XCTAssertEqual(errors(minimalLab + "\n\n<!-- solution -->\n<!-- solution -->\n<!-- end solution -->\n"),
                       ["lab.md:25:1: error: a solution is already open (line 24); close it with <!-- end solution --> first"])
        let inside = minimalLab + "\n\n```swift-lab challenge\ntitle: t\nprompt: |\n  <!-- solution -->\n```\n"
        XCTAssertEqual(Handout.make(text: inside, path: "lab.md").0, inside, "a marker inside a step's text is text")
        let (text, _) = Handout.make(text: minimalLab + "\n\n<!-- solution -->\nProse only.\n<!-- end solution -->\n", path: "lab.md")
        XCTAssertTrue(text?.hasSuffix("```swift-lab todo\ntask: Complete this part of the lab.\n```\n") ?? false, text ?? "")
        XCTAssertFalse(Handout.make(text: minimalLab.replacingOccurrences(of: "latent: 8", with: "latent: x"), path: "lab.md").1.isEmpty, "a lab with errors has no handout")
    }
}
