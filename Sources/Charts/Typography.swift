/// Type sizes and widths every chart shares, chosen for the narrowest page a report is read on.
///
/// A chart's coordinates are user units of its `viewBox`, and the page scales the whole drawing,
/// text included, to the column: `Typography.columnWidth` units wide (Frame charts; other charts
/// keep within it). On a 390 px phone the report's column is at least 345 px, so text of
/// `Typography.small` (14) units renders at 14 · 345 / 400 ≈ 12.1 px; nothing is drawn smaller.
/// On a desktop the chart is shown `displayScale` times its unit size, and 14 units become 16 px,
/// the size of the page's own text.
///
/// ```swift
/// let lines = Typography.wrap("A long title that does not fit", width: 200, size: Typography.title, bold: true)
/// ```
enum Typography {
    /// The width, in user units, a chart is laid out for.
    static let columnWidth = 400.0
    /// CSS pixels per user unit where the page has room (the `width` and `height` attributes);
    /// the page's `max-width: 100%` shrinks a chart below that on a phone.
    static let displayScale = 1.15
    /// Tick labels, legends, captions, notes, values on bars: the smallest text.
    static let small = 14.0
    /// Axis labels.
    static let label = 15.0
    /// Chart titles, in bold.
    static let title = 16.0
    /// A line of text is this many times its size apart from the next.
    static let leading = 1.25

    /// An estimate of the width of `text` at `size`: the average advance of DejaVu Sans (the
    /// widest of the usual sans-serif fonts, Chromium's on Debian), so that estimates err wide.
    static func width(of text: String, size: Double, bold: Bool = false) -> Double {
        text.unicodeScalars.reduce(0) { $0 + advance(of: $1) } * size * (bold ? 1.1 : 1)
    }

    /// The advance of one character, in ems.
    private static func advance(of c: Unicode.Scalar) -> Double {
        switch c {
        case "i", "l", "j", "t", "f", "r", "I", ".", ",", ":", ";", "'", "!", "|", " ", "(", ")", "[", "]": return 0.36
        case "m", "w", "M", "W", "%", "@": return 0.92
        case "A"..."Z": return 0.72
        default: return c.value > 0x2E80 ? 1.0 : 0.62
        }
    }

    /// `text` broken at spaces into lines that fit `width`; a word longer than a line is cut
    /// where it reaches the edge, so that no line is ever wider than `width`. Linear in the
    /// text's length (a lab's title may be long on purpose).
    static func wrap(_ text: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        let scale = size * (bold ? 1.1 : 1), space = advance(of: " ") * scale
        var lines: [String] = [], current = "", used = 0.0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = Typography.width(of: String(word), size: size, bold: bold)
            if current.isEmpty, wordWidth <= width {
                current = String(word); used = wordWidth
                continue
            }
            if !current.isEmpty, used + space + wordWidth <= width {
                current += " " + word; used += space + wordWidth
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""; used = 0
            for c in word {
                let w = c.unicodeScalars.reduce(0) { $0 + advance(of: $1) } * scale
                if !current.isEmpty, used + w > width {
                    lines.append(current)
                    current = ""; used = 0
                }
                current.append(c); used += w
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
