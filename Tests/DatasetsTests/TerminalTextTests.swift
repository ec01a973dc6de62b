import Datasets
import XCTest

final class TerminalTextTests: XCTestCase {
    func testControlCharactersAreShownNotSent() {
        XCTAssertEqual(TerminalText.escaped("a\u{1B}]0;pwned\u{07}b\u{1B}[2J"), "a\\e]0;pwned\\u{7}b\\e[2J")
        XCTAssertEqual(TerminalText.escaped("\u{9B}31m\u{7F}\u{0}\r"), "\\u{9B}31m\\u{7F}\\u{0}\\u{D}")
    }

    func testBidiControlsAreShown() {
        XCTAssertEqual(TerminalText.escaped("x\u{202E}cod.exe\u{2066}\u{2069}"), "x\\u{202E}cod.exe\\u{2066}\\u{2069}")
        // The marks, zero-width and line-breaking characters that hide or move text too.
        XCTAssertEqual(TerminalText.escaped("a\u{200E}\u{200F}\u{061C}\u{200B}\u{2028}\u{2029}\u{FEFF}b"),
                       "a\\u{200E}\\u{200F}\\u{61C}\\u{200B}\\u{2028}\\u{2029}\\u{FEFF}b")
    }

    func testTabsStayAndNewlinesOnlyWhenAsked() {
        XCTAssertEqual(TerminalText.escaped("a\tb\nc"), "a\tb\\u{A}c")
        XCTAssertEqual(TerminalText.escaped("a\tb\nc", keepingNewlines: true), "a\tb\nc")
    }

    func testAMarkCannotHideAControlCharacter() {
        XCTAssertEqual(TerminalText.escaped("\u{0600}\u{1B}[2J\u{0301}"), "\u{0600}\\e[2J\u{0301}")
        XCTAssertEqual(TerminalText.escaped("plain é ∞ → –"), "plain é ∞ → –")
    }
}
