import Foundation
import XCTest

/// Runs the built `swift-lab` executable as a user would and checks output and exit status.
final class CheckCommandTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let fixtures = root.appendingPathComponent("Tests/LabDocumentTests/Fixtures/check")

    private func executable() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent("swift-lab")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("swift-lab executable not found beside the test bundle")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testCleanLabsExitZero() throws {
        let result = try run(["check", "Labs"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "checked 6 labs: no problems\n")
    }

    func testProblemsExitOneAndPrintCompilerStyleLines() throws {
        let result = try run(["check", "Tests/LabDocumentTests/Fixtures/check/07-unknown-key.md"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "Tests/LabDocumentTests/Fixtures/check/07-unknown-key.md:16:1: error: unknown key 'batch_size' in the 'train' step; did you mean 'batch'?\n")
    }

    func testADirectoryOfFixturesReportsEveryFile() throws {
        let result = try run(["check", "Tests/LabDocumentTests/Fixtures/check"])
        XCTAssertEqual(result.status, 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter { $0.hasSuffix(".md") }
        for file in files {
            XCTAssertTrue(result.stdout.contains("/\(file)"), "no diagnostic for \(file)")
        }
    }

    func testJSONOutput() throws {
        let result = try run(["check", "--json", "Tests/LabDocumentTests/Fixtures/check/11-out-of-range.md"])
        XCTAssertEqual(result.status, 1)
        struct Output: Decodable {
            struct Item: Decodable { var file: String; var line: Int?; var column: Int?; var severity: String; var message: String }
            var files: [String]
            var diagnostics: [Item]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(output.diagnostics.map(\.line), [15, 16, 17])
        XCTAssertEqual(output.diagnostics.first?.message, "'epochs' must be at least 1, got 0")
        XCTAssertEqual(output.diagnostics.first?.severity, "error")
    }

    func testSetOverridesAreChecked() throws {
        let lab = "Labs/004-conv-autoencoder-sevens.md"
        let ok = try run(["check", "--set", "anomalous_digit=3", lab])
        XCTAssertEqual(ok.status, 0, ok.stdout)
        let bad = try run(["check", "--set", "epochs=0", lab])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.hasPrefix("\(lab):"), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("'epochs' must be at least 1, got 0 (from ${epochs})"), bad.stdout)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try run(["check"]).status, 2)
        XCTAssertEqual(try run(["frobnicate"]).status, 2)
        XCTAssertEqual(try run(["check", "--set", "novalue", "Labs"]).status, 2)
        let missing = try run(["check", "no/such/lab.md"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "no/such/lab.md: error: no such file or directory\n")
    }

    func testSchemaPrintsTheReference() throws {
        let result = try run(["schema", "--markdown"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("## Reference\n"))
        XCTAssertTrue(result.stdout.contains("| `epochs` | integer ≥ 1 | **required** |"))
    }
}
