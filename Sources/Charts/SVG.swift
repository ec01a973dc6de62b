/// A small SVG writer: elements in the order they are added, attributes in the order given,
/// numbers with at most two decimals, text always escaped. The same chart gives the same bytes.
struct SVG {
    private(set) var body: [String] = []

    /// Text safe inside an element or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0.
                if c.value < 0x20 && c != "\n" && c != "\t" { continue }
                // A bidirectional override or isolate would show a label reversed or moved: shown, not obeyed.
                if (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value) { out += "\u{FFFD}"; continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Fixed formatting: at most two decimals, no trailing zeros, no "-0".
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        // In whole hundredths, without String(format:): charts print tens of thousands of
        // coordinates, and Foundation's formatter was a tenth of a cached lab run.
        let scaled = (x * 100).rounded()
        guard abs(scaled) < 1e15 else { return String(format: "%.0f", x) }
        let hundredths = Int(scaled)
        if hundredths == 0 { return "0" }
        let whole = String(hundredths.magnitude / 100), fraction = hundredths.magnitude % 100
        let sign = hundredths < 0 ? "-" : ""
        if fraction == 0 { return sign + whole }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return sign + whole + "." + digits
    }

    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        let attrs = attributes.map { " \($0.0)=\"\(SVG.escape($0.1))\"" }.joined()
        if let text {
            body.append("<\(name)\(attrs)>\(SVG.escape(text))</\(name)>")
        } else {
            body.append("<\(name)\(attrs)/>")
        }
    }

    mutating func raw(_ markup: String) { body.append(markup) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var attributes = [("x1", SVG.number(x1)), ("y1", SVG.number(y1)), ("x2", SVG.number(x2)), ("y2", SVG.number(y2)),
                          ("stroke", stroke), ("stroke-width", SVG.number(width))]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "middle", size: Double = Typography.small,
                       weight: String? = nil, rotate: Double? = nil, fill: String = "#222") {
        var attributes = [("x", SVG.number(x)), ("y", SVG.number(y)), ("text-anchor", anchor), ("font-size", SVG.number(size)), ("fill", fill)]
        if let weight { attributes.append(("font-weight", weight)) }
        if let rotate { attributes.append(("transform", "rotate(\(SVG.number(rotate)) \(SVG.number(x)) \(SVG.number(y)))")) }
        element("text", attributes, text: content)
    }

    /// Lines of text, the first with its baseline at `y`, each `Typography.leading` sizes below
    /// the one before; returns the baseline after the last line.
    @discardableResult
    mutating func lines(_ lines: [String], x: Double, y: Double, anchor: String = "middle", size: Double = Typography.small,
                        weight: String? = nil, fill: String = "#222") -> Double {
        var baseline = y
        for line in lines {
            text(line, x: x, y: baseline, anchor: anchor, size: size, weight: weight, fill: fill)
            baseline += size * Typography.leading
        }
        return baseline
    }

    /// A polyline through points, as one path.
    mutating func path(_ points: [(Double, Double)], stroke: String, width: Double = 2, fill: String = "none", dash: String? = nil, opacity: Double? = nil) {
        guard let first = points.first else { return }
        var d = "M\(SVG.number(first.0)) \(SVG.number(first.1))"
        for p in points.dropFirst() { d += "L\(SVG.number(p.0)) \(SVG.number(p.1))" }
        var attributes = [("d", d), ("fill", fill), ("stroke", stroke), ("stroke-width", SVG.number(width))]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        if let opacity { attributes.append(("fill-opacity", SVG.number(opacity))) }
        element("path", attributes)
    }

    /// The whole chart: `width` × `height` user units, shown `Typography.displayScale` times
    /// larger where the page has room (the page shrinks it to the column where it has not).
    func document(width: Double, height: Double, title: String) -> String {
        let shownWidth = SVG.number(width * Typography.displayScale), shownHeight = SVG.number(height * Typography.displayScale)
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(shownWidth)\" height=\"\(shownHeight)\" role=\"img\" font-family=\"sans-serif\">"
        return ([head, "<title>\(SVG.escape(title))</title>"] + body + ["</svg>"]).joined(separator: "\n")
    }
}

import Foundation
