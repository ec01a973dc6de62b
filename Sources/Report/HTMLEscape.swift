/// The one escape of every text a report shows: the title, parameters, step titles and sources,
/// outputs, errors, the run section. `ReportRenderer` applies it to every string of the template's
/// context, so a template cannot forget it.
public enum HTMLEscape {
    /// `text` safe as an element's content and inside an attribute quoted with `"` or `'`:
    /// `& < > " '` become `&amp; &lt; &gt; &quot; &#39;` (the references the Mustache library
    /// writes, so ordinary text renders to the same bytes as before).
    ///
    /// It works on UTF-8 bytes, not on Characters: a browser's tokenizer sees code points, but
    /// Swift compares grapheme clusters, and "\u{0600}<" (a prepended mark) or "<\u{0301}" (a
    /// combining accent) is one Character that equals no "<". Escaping per Character leaves that
    /// "<" raw. These five bytes never occur inside a multi-byte UTF-8 sequence, so replacing
    /// bytes replaces exactly those code points.
    ///
    /// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) become
    /// U+FFFD: one of them in a student's name or answer would make the text after it display
    /// reversed or moved ("gpj.exe" shown as "exe.jpg"), so a reader, or a grader, would read
    /// something the file does not say. Right-to-left text needs none of them to display.
    public static func text(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            case 0xE2 where index + 2 < bytes.count && isDirectionalControl(bytes[index + 1], bytes[index + 2]):
                out.append(contentsOf: "\u{FFFD}".utf8)
                index += 2
            default: out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `html` with the directional controls `text` replaces replaced the same way: for HTML
    /// made elsewhere (the lab's prose, through cmark-gfm), where they have no markup meaning.
    static func withoutDirectionalControls(_ html: String) -> String {
        let bytes = Array(html.utf8)
        guard bytes.contains(0xE2) else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0xE2, index + 2 < bytes.count, isDirectionalControl(bytes[index + 1], bytes[index + 2]) {
                out.append(contentsOf: "\u{FFFD}".utf8)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether E2 `second` `third` encodes U+202A–U+202E or U+2066–U+2069.
    private static func isDirectionalControl(_ second: UInt8, _ third: UInt8) -> Bool {
        (second == 0x80 && (0xAA...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third))
    }
}
