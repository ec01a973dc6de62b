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
    public static func text(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
