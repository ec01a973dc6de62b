import Foundation
import XCTest

/// The commands a newcomer types first: `--version`, `new`, `params`, and the results `run`
/// prints when it ends.
final class StarterCommandsTests: XCTestCase {
    func testVersionNamesTheEngine() throws {
        let result = try SwiftLabProcess().run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("swift-lab ") && result.stdout.contains("(engine "), result.stdout)
    }

    /// Output that cannot be written (a full disk: /dev/full) is an error, never a silent success,
    /// whether the command ends normally (`params`) or through the parser (`--version`).
    func testOutputThatCannotBeWrittenFails() throws {
        let swiftLab = try SwiftLabProcess()
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        defer { try? full.close() }
        for arguments in [["--version"], ["params", "Labs/001-autoencoder-rotated-digits.md"]] {
            let process = Process()
            process.executableURL = swiftLab.binary
            process.arguments = arguments
            process.currentDirectoryURL = SwiftLabProcess.root
            process.standardOutput = full
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 1, "\(arguments): \(said)")
            XCTAssertTrue(said.contains("cannot write to standard output"), "\(arguments): \(said)")
        }
    }

    /// `new` writes a lab that checks, lists its parameters and runs; it never overwrites a file
    /// and refuses a name that is a path.
    func testNewWritesALabThatChecksAndRuns() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-new")
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try swiftLab.succeed(["new", "first-lab", "--directory", directory.path])
        let lab = directory.appendingPathComponent("first-lab.md")
        XCTAssertEqual(created.stdout, lab.path + "\n")
        XCTAssertEqual(try swiftLab.run(["check", lab.path]).status, 0)

        let params = try swiftLab.succeed(["params", lab.path])
        XCTAssertEqual(params.stdout.split(separator: "\n").first, "name    type     default  used at")
        XCTAssertTrue(params.stdout.contains("latent  integer  8        lines "), params.stdout)
        XCTAssertTrue(params.stdout.contains("epochs  integer  5        line "), params.stdout)

        let before = try Data(contentsOf: lab)
        let again = try swiftLab.run(["new", "first-lab", "--directory", directory.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "error: cannot write \(lab.path): it exists; choose another name\n")
        XCTAssertEqual(try Data(contentsOf: lab), before)
        XCTAssertEqual(try swiftLab.run(["new", "../escape", "--directory", directory.path]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.deletingLastPathComponent().appendingPathComponent("escape.md").path))

        try SwiftLabProcess.requireMNIST()
        let run = try swiftLab.succeed(["run", "--quick", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertTrue(run.stderr.contains("results:\n  error (reconstruction-error): ROC AUC "), run.stderr)
        XCTAssertTrue(run.stderr.contains("  challenge \"A smaller code\": 3 values of latent: "), run.stderr)
        XCTAssertEqual(run.stdout, directory.appendingPathComponent("first-lab.html").path + "\n")
    }

    func testParamsOfALabWithoutThemAndOfABrokenLab() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-params")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try SwiftLabProcess.tinyLab(in: directory, name: "plain", title: "Plain")
        XCTAssertEqual(try swiftLab.succeed(["params", plain.path]).stdout, "\(plain.path) has no parameters\n")
        let broken = directory.appendingPathComponent("broken.md")
        try "---\nparams: { a: 1 }\n---\n# Broken\n\n```swift-lab load\ndataset: \u{1B}]0;x\u{07}\n```\n".write(to: broken, atomically: false, encoding: .utf8)
        let result = try swiftLab.run(["params", broken.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("broken.md:7:1: error: YAML cannot read this text: control characters are not allowed"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{1B}"), "the terminal is never sent an escape from the lab")
    }

    /// Only steps substitute parameters: `${name}` in prose or in another code block is not a use.
    func testParamsCountsUsesInStepsOnly() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-params")
        defer { try? FileManager.default.removeItem(at: directory) }
        try "area,label\n1,a\n2,b\n".write(to: directory.appendingPathComponent("tiny.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("uses.md")
        try "---\nparams: { a: 2, b: tiny }\n---\n# Uses ${a}\n\n```sh\necho ${b}\n```\n\n```swift-lab load\ndataset: ${b}.csv\nlimit: ${a}\nas: t\n```\n"
            .write(to: lab, atomically: false, encoding: .utf8)
        let result = try swiftLab.succeed(["params", lab.path])
        XCTAssertEqual(result.stdout, "name  type     default  used at\na     integer  2        line 12\nb     string   tiny     line 11\n")
    }

    func testEmptyNamesAndDirectoriesAreRefused() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-new")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertEqual(try swiftLab.run(["new", "_", "--directory", directory.path]).status, 2)
        XCTAssertEqual(try swiftLab.run(["new", "--", "--", "--directory", directory.path]).status, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "tiny", title: "Tiny")
        let empty = try swiftLab.run(["run", "--out", "", lab.path])
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("--out is empty"), empty.stderr)
    }
}
