import Foundation
import XCTest
@testable import Grading

/// A submission's file name, parameters and machine description reach the grader's terminal
/// through `diff`: shown as escapes, never obeyed, and unable to forge a line.
final class ComparisonTextInjectionTests: TemporaryDirectoryTestCase {
    func testTheSummaryShowsControlCharacters() throws {
        var hostile = ReportFixture()
        hostile.parameters["angle"] = "45\u{1B}]0;pwned\u{07}\u{1B}[2J"
        hostile.parameters["x\u{202E}y"] = "1\nverdict: equal within tolerance"
        hostile.blas = "OpenBLAS \u{9B}2J"
        let a = try ReportReader.read(path: try ReportFixture().write(to: directory.appendingPathComponent("a.html")))
        let b = try ReportReader.read(path: try hostile.write(to: directory.appendingPathComponent("b\u{1B}[2J.html")))
        let summary = ComparisonText.summary(ReportComparison(a, b))
        XCTAssertFalse(summary.unicodeScalars.contains { TerminalTextProbe.isUnsafe($0) }, summary)
        XCTAssertTrue(summary.contains("  angle: 90 → 45\\e]0;pwned\\u{7}\\e[2J\n"), summary)
        XCTAssertTrue(summary.contains("b\\e[2J.html"), summary)
        XCTAssertTrue(summary.contains("x\\u{202E}y: (absent) → 1\\u{A}verdict: equal within tolerance"), summary)
        XCTAssertTrue(summary.contains("note: BLAS "), summary)
        XCTAssertTrue(summary.hasSuffix("\nverdict: the reports differ"), summary)
    }
}

/// What a terminal would act on: C0 but tab and line feed, DEL, C1, bidi controls.
enum TerminalTextProbe {
    static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t" && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
