/// Text from a lab, a data file or a submission made safe to print on a terminal.
///
/// A grader runs `check`, `run` and `diff` on files that students wrote, and a terminal obeys
/// what it prints: `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears it, and bidi
/// overrides make a line read other than it is. Every line the commands print of such text goes
/// through `escaped`, which shows those characters instead of sending them.
///
/// ```swift
/// TerminalText.escaped("a\u{1B}[2Jb")   // "a\\e[2Jb"
/// ```
public enum TerminalText {
    /// `text` with every control character and bidi control shown as an escape: ESC as `\e`,
    /// the others as `\u{9B}` (the code point in hexadecimal). Escaped: C0 but the tab (and the
    /// line feed when `keepingNewlines`), DEL, C1, U+202A–U+202E and U+2066–U+2069.
    ///
    /// It works on code points, not Characters: a mark can join a control character into one
    /// Character that no comparison with ESC would match.
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" || (keepingNewlines && scalar == "\n") || !isControl(scalar) {
                out.append(scalar)
            } else if scalar == "\u{1B}" {
                out.append(contentsOf: "\\e".unicodeScalars)
            } else {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        // C0, DEL and C1; the bidi marks, embeddings, overrides and isolates; zero-width and
        // line-breaking characters that would hide or move text on the grader's screen.
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
