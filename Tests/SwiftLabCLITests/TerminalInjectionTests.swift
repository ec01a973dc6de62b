import Foundation
import XCTest

/// A grader runs `check`, `run` and `diff` on students' files: whatever those files say reaches
/// the terminal as visible escapes, never as commands (ESC ] 0 ; … BEL retitles it, ESC [ 2 J
/// clears it), and the class CSV holds no formula.
final class TerminalInjectionTests: XCTestCase {
    static let retitle = "\u{1B}]0;pwned\u{07}", clear = "\u{1B}[2J"

    /// What a terminal would act on: C0 but tab and line feed, DEL, C1, bidi controls.
    private func assertShown(_ output: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let unsafe = output.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        XCTAssertTrue(unsafe.isEmpty, "\(what) sends \(unsafe.map { String($0.value, radix: 16) }): \(output.debugDescription)", file: file, line: line)
    }

    func testCheckShowsTheLabsControlCharacters() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-terminal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = directory.appendingPathComponent("lab\(Self.clear).md")
        try "# Lab\n\n```swift-lab load\ndataset: mnist\nas: digits\n\"split\\e]0;pwned\\a\\e[2J\\u202E\": test\n```\n"
            .write(to: lab, atomically: false, encoding: .utf8)
        let result = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        assertShown(result.stdout, "check")
        assertShown(result.stderr, "check")
        XCTAssertTrue(result.stdout.contains("lab\\e[2J.md:6:1: error: "), result.stdout)
        XCTAssertTrue(result.stdout.contains("split\\e]0;pwned\\u{7}\\e[2J\\u{202E}"), result.stdout)
    }

    func testRunShowsTheLabsControlCharacters() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-terminal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "tiny", title: "Tiny")
        let out = directory.appendingPathComponent("out\(Self.retitle)").path
        let ran = try swiftLab.run(["run", "--no-cache", "--out", out, lab.path])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        assertShown(ran.stdout + ran.stderr, "run")
        XCTAssertEqual(ran.stdout, "\(directory.path)/out\\e]0;pwned\\u{7}/tiny.html\n")

        let broken = directory.appendingPathComponent("broken.md")
        try "# Broken\n\n```swift-lab load\ndataset: \"\(directory.path)/no\\e]0;pwned\\a\\e[2J.csv\"\nas: tiny\n```\n"
            .write(to: broken, atomically: false, encoding: .utf8)
        let failed = try swiftLab.run(["run", "--no-cache", "--out", directory.path, broken.path])
        XCTAssertNotEqual(failed.status, 0)
        assertShown(failed.stdout + failed.stderr, "a failed run")
        XCTAssertTrue(failed.stderr.contains("no\\e]0;pwned\\u{7}\\e[2J.csv"), failed.stderr)
    }

    func testDiffShowsTheSubmissionsControlCharactersAndWritesNoFormula() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-terminal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "tiny", title: "Tiny")
        func report(_ name: String) throws -> String {
            let out = directory.appendingPathComponent(name).path
            _ = try swiftLab.succeed(["run", "--no-cache", "--out", out, lab.path])
            return out + "/tiny.html"
        }
        let a = try report("a"), b = try report("b\(Self.retitle)\(Self.clear)")

        let pair = try swiftLab.run(["diff", a, b])
        assertShown(pair.stdout + pair.stderr, "diff")
        XCTAssertTrue(pair.stdout.contains("B: \(directory.path)/b\\e]0;pwned\\u{7}\\e[2J/tiny.html\n"), pair.stdout)

        let missing = try swiftLab.run(["diff", a, directory.appendingPathComponent("gone\(Self.clear).html").path])
        XCTAssertEqual(missing.status, 2)
        assertShown(missing.stderr, "diff's error")

        for format in [["--csv"], []] {
            let batch = try swiftLab.run(["diff"] + format + ["--reference", a, b, "=HYPERLINK(\"http://127.0.0.1:8765/\")"])
            // CSV records end in CR LF (RFC 4180): the tool's own, not the submissions'.
            assertShown(batch.stdout.replacingOccurrences(of: "\r\n", with: "\n") + batch.stderr, "diff \(format)")
            XCTAssertTrue(batch.stdout.contains("b\\e]0;pwned\\u{7}\\e[2J/tiny.html"), batch.stdout)
            if format == ["--csv"] {
                XCTAssertTrue(batch.stdout.contains("\r\n\"'=HYPERLINK(\"\"http://127.0.0.1:8765/\"\")\","), batch.stdout)
            }
        }
    }
}
