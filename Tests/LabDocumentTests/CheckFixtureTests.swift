import XCTest
@testable import LabDocument

/// Each file in Fixtures/check is a malformed lab; the `.expected` file beside it holds the exact
/// diagnostics `swift-lab check` must print for it, one per line.
final class CheckFixtureTests: XCTestCase {
    private let directory = Repository.fixtures.appendingPathComponent("check")

    private func fixtureNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".md") }
            .sorted()
    }

    func testEveryFixtureGivesExactlyItsExpectedDiagnostics() throws {
        let names = try fixtureNames()
        XCTAssertGreaterThanOrEqual(names.count, 25, "one fixture per diagnostic kind")
        for name in names {
            let path = directory.appendingPathComponent(name).path
            let expectedFile = directory.appendingPathComponent(name.replacingOccurrences(of: ".md", with: ".expected"))
            let expected = try String(contentsOf: expectedFile, encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let actual = LabParser.parse(file: path).diagnostics.map {
                $0.description.replacingOccurrences(of: directory.path + "/", with: "")
            }
            XCTAssertFalse(expected.isEmpty, "\(name): a malformed fixture must expect at least one error")
            XCTAssertEqual(actual, expected, name)
        }
    }

    func testDiagnosticsCarryFileLineAndColumn() throws {
        let result = LabParser.parse(file: directory.appendingPathComponent("07-unknown-key.md").path)
        let diagnostic = try XCTUnwrap(result.diagnostics.first)
        XCTAssertEqual(diagnostic.location, SourceLocation(line: 16, column: 1))
        XCTAssertTrue(diagnostic.description.hasPrefix(directory.path + "/07-unknown-key.md:16:1: error: "))
    }

    func testHugeFileIsRefusedWithoutReadingItAll() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: url) }
        let line = Data(String(repeating: "prose ", count: 100).appending("\n").utf8)
        var data = Data()
        while data.count <= LabText.maximumBytes { data.append(line) }
        try data.write(to: url)
        let result = LabParser.parse(file: url.path)
        XCTAssertEqual(result.diagnostics.map(\.message), ["file is larger than 2 MiB; a lab is a Markdown file of prose and steps"])
        XCTAssertNil(result.lab)
    }

    func testMissingFileIsOneError() {
        let result = LabParser.parse(file: "/nonexistent/lab.md")
        XCTAssertEqual(result.diagnostics.map(\.description), ["/nonexistent/lab.md: error: cannot open the file"])
    }

    func testByteOrderMarkAndWindowsLineEndingsAreAccepted() {
        let text = "\u{FEFF}" + minimalLab.replacingOccurrences(of: "\n", with: "\r\n")
        var sink = DiagnosticSink(file: "lab.md")
        let decoded = LabText.decode(Data(text.utf8), sink: &sink)
        XCTAssertTrue(sink.diagnostics.isEmpty)
        XCTAssertEqual(diagnostics(of: decoded ?? ""), [])
    }

    func testUTF16AndUTF32AreNamedNotCalledBinary() throws {
        let encodings: [(String.Encoding, String)] = [
            (.utf16, "UTF-16"), (.utf16LittleEndian, "UTF-16"), (.utf16BigEndian, "UTF-16"),
            (.utf32, "UTF-32"), (.utf32LittleEndian, "UTF-32"), (.utf32BigEndian, "UTF-32"),
        ]
        for (encoding, name) in encodings {
            var sink = DiagnosticSink(file: "lab.md")
            let data = try XCTUnwrap(minimalLab.data(using: encoding))
            XCTAssertNil(LabText.decode(data, sink: &sink))
            XCTAssertEqual(sink.diagnostics.map(\.description), ["lab.md: error: file is \(name) text; save it as UTF-8"], "\(encoding)")
        }
        // A NUL further in is still binary, at its place.
        var sink = DiagnosticSink(file: "lab.md")
        XCTAssertNil(LabText.decode(Data("# Lab\nab\u{0}c\n".utf8), sink: &sink))
        XCTAssertEqual(sink.diagnostics.map(\.description), ["lab.md:2:3: error: file is binary (a NUL byte), not a Markdown lab"])
    }

    func testAliasBombFinishesQuickly() {
        // Nine levels of nine-fold aliases would expand to 9^9 values if walked naively.
        var yaml = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        for level in 1...9 {
            let items = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(items)]\n"
        }
        let lab = "```swift-lab load\n" + yaml + "```\n"
        let found = diagnostics(of: lab)
        XCTAssertEqual(found.first, "lab.md:2:5: error: YAML anchors and aliases (&name, *name) are not allowed in labs; write the value out")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        for depth in [33, 500, 5_000] {
            let lab = "```swift-lab load\nclasses: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n```\n"
            let found = diagnostics(of: lab)
            XCTAssertFalse(found.isEmpty, "depth \(depth)")
            XCTAssertTrue(found[0].contains("nest") || found[0].contains("YAML"), found[0])
        }
    }
}
