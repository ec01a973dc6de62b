import Foundation
import XCTest

/// `run --params FILE.yml`: the file's values are the lab's parameters for the run, `--set` wins
/// over them, and every problem in the file is an error at its line and column, before anything
/// runs.
final class ParametersFileTests: XCTestCase {
    private func lab(in directory: URL) throws -> URL {
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "params", title: "Params")
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# Params\n", with: "---\nparams: { trees: 10, note: plain, digits: [1, 2] }\n---\n# Params\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        return lab
    }

    private func parameters(in directory: URL) throws -> [String: String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("params.json"))) as? [String: Any]
        return json?["parameters"] as? [String: String] ?? [:]
    }

    func testTheFileSetsParametersAndSetWins() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-params-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try lab(in: directory), file = directory.appendingPathComponent("values.yml")
        // Text that YAML reads as more than a word stays one value.
        try "trees: 20\nnote: \"a: b # c\"\ndigits: [3, 4, 5]\n".write(to: file, atomically: false, encoding: .utf8)
        _ = try swiftLab.succeed(["run", "--no-cache", "--params", file.path, "--out", directory.path, lab.path])
        XCTAssertEqual(try parameters(in: directory), ["trees": "20", "note": "a: b # c", "digits": "[3, 4, 5]"])
        _ = try swiftLab.succeed(["run", "--no-cache", "--params", file.path, "--set", "trees=7", "--out", directory.path, lab.path])
        XCTAssertEqual(try parameters(in: directory)["trees"], "7")
    }

    func testEachProblemIsAnErrorAtItsPlaceAndNothingRuns() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-params-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try lab(in: directory)
        let cases: [(text: String, errors: [String])] = [
            ("tres: 20\nnote: [1, 2]\ntrees: {a: 1}\n", [":1:1: error: the lab \(lab.path) has no parameter 'tres'; did you mean 'trees'?",
                                                        ":2:7: error: 'note' expects a string like its default plain, not a list",
                                                        ":3:8: error: 'trees' expects an integer like its default 10, not a mapping"]),
            ("trees: 1e400\n", [":1:8: error: 'trees' expects an integer like its default 10, not a number"]),
            ("- trees\n", [":1:1: error: a parameters file is a mapping of parameter names to values (e.g. 'epochs: 5'), not a list"]),
            ("", [":1:1: error: a parameters file is a mapping of parameter names to values (e.g. 'epochs: 5'), not nothing"]),
            ("trees: 1\ntrees: 2\n", [":1:1: error: key 'trees' is written twice in the same mapping"]),
            ("trees: &a 1\nnote: *a\n", [":1:8: error: YAML anchors and aliases"]),
        ]
        for (index, example) in cases.enumerated() {
            let file = directory.appendingPathComponent("bad\(index).yml")
            try example.text.write(to: file, atomically: false, encoding: .utf8)
            let result = try swiftLab.run(["run", "--no-cache", "--params", file.path, "--out", directory.path, lab.path])
            XCTAssertEqual(result.status, 1, example.text)
            for error in example.errors { XCTAssertTrue(result.stderr.contains(file.path + error), "\(example.text): \(result.stderr)") }
            XCTAssertFalse(result.stderr.contains("[1/1] load"), "nothing ran")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("params.html").path))
        }
        // A lab whose front matter cannot be read: its error, not "no parameter 'trees'" from the file.
        let broken = directory.appendingPathComponent("broken.md"), values = directory.appendingPathComponent("values.yml")
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "params: { trees: 10,", with: "params: { trees: &t 10,")
            .write(to: broken, atomically: false, encoding: .utf8)
        try "trees: 3\n".write(to: values, atomically: false, encoding: .utf8)
        let unreadable = try swiftLab.run(["run", "--no-cache", "--params", values.path, "--out", directory.path, broken.path])
        XCTAssertEqual(unreadable.status, 1)
        XCTAssertEqual(unreadable.stderr.components(separatedBy: "\n").filter { !$0.isEmpty },
                       [broken.path + ":2:18: error: YAML anchors and aliases (&name, *name) are not allowed in labs; write the value out"])

        let device = try swiftLab.run(["run", "--params", "/dev/zero", "--out", directory.path, lab.path])
        XCTAssertEqual(device.status, 1)
        XCTAssertTrue(device.stderr.hasPrefix("/dev/zero: error: not a regular file"), device.stderr)
    }
}
