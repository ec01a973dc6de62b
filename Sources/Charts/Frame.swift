/// The plot area, axes, title and legend every x–y chart shares.
struct Frame {
    static let width = 640.0, height = 400.0
    let left = 64.0, right = 16.0, top = 40.0, bottom = 52.0
    let x: LinearScale, y: LinearScale
    var svg = SVG()

    init(xDomain: (Double, Double), yDomain: (Double, Double), niceX: Bool = true, niceY: Bool = true) {
        x = LinearScale(domain: xDomain, range: (left, Frame.width - right), nice: niceX)
        y = LinearScale(domain: yDomain, range: (Frame.height - bottom, top), nice: niceY)
    }

    /// Axes with ticks and grid lines, the title and the axis labels.
    mutating func drawAxes(title: String, xLabel: String, yLabel: String, xTicks: Bool = true) {
        let xStep = LinearScale.niceStep((x.domain.1 - x.domain.0) / 5), yStep = LinearScale.niceStep((y.domain.1 - y.domain.0) / 5)
        for t in y.ticks {
            svg.line(left, y(t), Frame.width - right, y(t), stroke: "#e5e5e5")
            svg.text(LinearScale.label(t, step: yStep), x: left - 6, y: y(t) + 4, anchor: "end", size: 11)
        }
        for t in x.ticks where xTicks {
            svg.line(x(t), top, x(t), Frame.height - bottom, stroke: "#f0f0f0")
            svg.text(LinearScale.label(t, step: xStep), x: x(t), y: Frame.height - bottom + 16, size: 11)
        }
        svg.line(left, Frame.height - bottom, Frame.width - right, Frame.height - bottom, stroke: "#444")
        svg.line(left, top, left, Frame.height - bottom, stroke: "#444")
        svg.text(title, x: Frame.width / 2, y: 22, size: 15, weight: "bold")
        svg.text(xLabel, x: (left + Frame.width - right) / 2, y: Frame.height - 12)
        svg.text(yLabel, x: 16, y: (top + Frame.height - bottom) / 2, rotate: -90)
    }

    /// A legend box in the top-right (or `corner` "bottom-right") corner.
    mutating func drawLegend(_ entries: [(label: String, color: String, dashed: Bool)], corner: String = "top-right") {
        guard !entries.isEmpty else { return }
        let longest = entries.map(\.label.count).max() ?? 0
        let boxWidth = Double(min(longest, 48)) * 6.6 + 40, boxHeight = Double(entries.count) * 18 + 8
        let x0 = Frame.width - right - boxWidth - 8
        let y0 = corner == "bottom-right" ? Frame.height - bottom - boxHeight - 8 : top + 8
        svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(y0)), ("width", SVG.number(boxWidth)), ("height", SVG.number(boxHeight)),
                             ("fill", "#ffffff"), ("fill-opacity", "0.85"), ("stroke", "#ccc")])
        for (i, entry) in entries.enumerated() {
            let yy = y0 + 16 + Double(i) * 18
            svg.line(x0 + 8, yy - 4, x0 + 28, yy - 4, stroke: entry.color, width: 3, dash: entry.dashed ? "5 3" : nil)
            svg.text(entry.label, x: x0 + 34, y: yy, anchor: "start", size: 11)
        }
    }

    func document(title: String) -> String { svg.document(width: Frame.width, height: Frame.height, title: title) }
}

/// A named series of points.
public struct Series: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var dashed: Bool

    public init(name: String, x: [Double], y: [Double], dashed: Bool = false) {
        self.name = name
        self.x = x
        self.y = y
        self.dashed = dashed
    }
}

/// Limits for a set of values, ignoring non-finite ones.
func extent(_ values: [Double]) -> (Double, Double) {
    let finite = values.filter(\.isFinite)
    return (finite.min() ?? 0, finite.max() ?? 1)
}
