import XCTest
@testable import LabDocument

final class ParameterTests: XCTestCase {
    func testMinimalLabIsClean() {
        XCTAssertEqual(diagnostics(of: minimalLab), [])
    }

    func testOverrideIsTypeCheckedAfterSubstitution() {
        XCTAssertEqual(diagnostics(of: minimalLab, overrides: [("epochs", "0")]),
                       ["lab.md:20:9: error: 'epochs' must be at least 1, got 0 (from ${epochs})"])
        XCTAssertEqual(diagnostics(of: minimalLab, overrides: [("digit", "11")]),
                       ["lab.md:10:11: error: mnist has no class '11' (labels 0-9)"])
    }

    func testOverrideOfTheWrongTypeIsRefused() {
        XCTAssertEqual(diagnostics(of: minimalLab, overrides: [("epochs", "many")]),
                       ["lab.md: error: --set epochs=many: 'epochs' expects an integer like its default 3"])
    }

    func testIntegerOverrideOfANumberParameterIsANumber() throws {
        let lab = try XCTUnwrap(LabParser.parse(text: minimalLab, path: "lab.md", overrides: [("rate", "1")]).lab)
        XCTAssertEqual(lab.parameters.first { $0.name == "rate" }?.value.kind, .number(1))
    }

    func testOverrideOfAnUnknownParameterSuggestsTheClosest() {
        XCTAssertEqual(diagnostics(of: minimalLab, overrides: [("epoch", "2")]),
                       ["lab.md: error: --set epoch=2: the lab has no parameter 'epoch'; did you mean 'epochs'?"])
    }

    func testColumnsAfterASubstitutionPointAtWhatTheAuthorWrote() {
        // `${digit}` (8 characters) becomes `5` (1 character); the bad class after it must still
        // be reported at the column where it stands in the file.
        let text = minimalLab.replacingOccurrences(of: "classes: [${digit}]", with: "classes: [${digit}, 42]")
        XCTAssertEqual(diagnostics(of: text), ["lab.md:10:21: error: mnist has no class '42' (labels 0-9)"])
    }

    func testSubstitutedNameKeepsItsType() throws {
        let lab = try XCTUnwrap(LabParser.parse(text: minimalLab, path: "lab.md").lab)
        XCTAssertEqual(lab.steps[0]["dataset"]?.kind, .string("mnist"))
        XCTAssertEqual(lab.steps[1]["epochs"]?.kind, .integer(3))
        XCTAssertEqual(lab.steps[1]["epochs"]?.parameter, "epochs")
    }

    func testYAML11BooleansStayText() {
        let text = "```swift-lab score\nmethod: pca\nfit: d\ndata: d\nthreshold: { sigma: 3, on: d }\nas: s\n```\n"
        let lab = LabParser.parse(text: text, path: "lab.md").lab
        let threshold = lab?.steps.first?["threshold"]?.mapping?.map(\.key)
        XCTAssertEqual(threshold, ["sigma", "on"])
    }

    func testQuotedNumbersAreText() {
        let text = "```swift-lab load\ndataset: mnist\nlimit: \"10\"\nas: d\n```\n"
        XCTAssertEqual(diagnostics(of: text), ["lab.md:3:8: error: 'limit' expects a whole number, got '10'"])
    }

    /// A parameter's value replaces one scalar: text that YAML would read as more (a newline and
    /// a key, a comma and an item) arrives quoted, as the text it is.
    func testASubstitutedValueCannotAddAKey() throws {
        let text = "---\nparams: { name: \"1\\nloss: bce\", more: \"a, b]\" }\n---\n```swift-lab load\ndataset: ${name}\nas: d\n```\n"
        let parsed = LabParser.parse(text: text, path: "lab.md")
        let step = try XCTUnwrap(parsed.lab?.steps.first)
        XCTAssertEqual(step.body.mapping?.map(\.key), ["dataset", "as"], "no loss key was added")
        XCTAssertEqual(step["dataset"]?.string, "1\nloss: bce")
        let list = "---\nparams: { more: \"7], limit: [1\" }\n---\n```swift-lab load\ndataset: mnist\nclasses: [${more}]\nas: d\n```\n"
        let classes = try XCTUnwrap(LabParser.parse(text: list, path: "lab.md").lab?.steps.first)
        XCTAssertEqual(classes.body.mapping?.map(\.key), ["dataset", "classes", "as"])
        XCTAssertEqual(classes["classes"]?.list?.count, 1)
    }
}
