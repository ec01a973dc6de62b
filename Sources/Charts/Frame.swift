/// One entry of a legend: a line in a colour (dashed or not) and its label.
struct LegendEntry {
    var label: String, color: String, dashed: Bool
    init(_ label: String, _ color: String, _ dashed: Bool = false) { self.label = label; self.color = color; self.dashed = dashed }
}

/// What a chart explains under its plot: the series' colours, or the colour ramp of a score.
enum Legend {
    case entries([LegendEntry])
    case colorBar(name: String, low: Double, high: Double)
}

/// The plot area, axes, title and legend every x–y chart shares, laid out for a column
/// `Typography.columnWidth` units wide. The title wraps, the left margin fits the longest tick
/// label, and the legend sits under the plot, where it covers no curve.
struct Frame {
    static let width = Typography.columnWidth
    static let plotHeight = 230.0
    let left: Double, right = 12.0, top: Double
    let x: LinearScale, y: LinearScale
    let height: Double
    var svg = SVG()
    private let titleLines: [String], noteLines: [String], xLabel: String, yLabel: String
    private let legend: Legend, legendRows: [[LegendEntry]]
    private let xTicks: Bool
    /// Labels of equal slots along x (bars), instead of numeric ticks; slanted when they are
    /// wider than their slots.
    private let categories: [String]
    private let slantCategories: Bool
    /// The height of the tick labels under the plot.
    private let tickArea: Double

    /// The gap between a tick label and its neighbour, at least.
    private static let tickGap = 8.0
    /// Height of one row of the legend.
    private static let legendRow = Typography.small * 1.5

    /// `integerX`: ticks at whole numbers only (epochs). `categories`: one label per slot of
    /// equal width along x (bars), in place of numeric ticks.
    init(title: String, note: String? = nil, xLabel: String, yLabel: String, legend: Legend = .entries([]),
         xDomain: (Double, Double), yDomain: (Double, Double), niceX: Bool = true, niceY: Bool = true, integerX: Bool = false, categories: [String]? = nil) {
        titleLines = Typography.wrap(title, width: Frame.width - 16, size: Typography.title, bold: true)
        noteLines = note.map { Typography.wrap($0, width: Frame.width - 16, size: Typography.small) } ?? []
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.legend = legend
        self.xTicks = categories == nil
        self.categories = categories ?? []
        top = 4 + Double(titleLines.count) * Typography.title * Typography.leading + Double(noteLines.count) * Typography.small * Typography.leading + 12
        let plotBottom = top + Frame.plotHeight
        var y = LinearScale(domain: yDomain, range: (plotBottom, top), nice: niceY)
        let widest = y.labels.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0
        left = 6 + (yLabel.isEmpty ? 0 : Typography.label * 1.4) + widest + 8
        var x = LinearScale(domain: xDomain, range: (left, Frame.width - right), nice: niceX, integer: integerX)
        // Fewer ticks until their labels clear each other.
        for _ in 0..<4 {
            let labels = x.labels, ticks = x.ticks
            guard ticks.count > 1 else { break }
            let spacing = abs(x(ticks[1]) - x(ticks[0]))
            if (labels.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0) + Frame.tickGap <= spacing { break }
            x.coarsen()
        }
        y.range = (plotBottom, top)
        self.x = x
        self.y = y
        legendRows = Frame.rows(of: legend, width: Frame.width - 16)
        let slot = (Frame.width - right - left) / Double(max(self.categories.count, 1))
        let widestCategory = self.categories.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0
        slantCategories = widestCategory > slot - 4
        // A label slanted at 45° reaches down by its width over √2.
        tickArea = slantCategories ? (widestCategory + Typography.small) * 0.71 : Typography.small
        let axisArea = 8 + tickArea + (xLabel.isEmpty ? 0 : 8 + Typography.label) + 10
        height = plotBottom + axisArea + Double(legendRows.count) * Frame.legendRow + (legendRows.isEmpty ? 0 : 6)
    }

    /// The bottom edge of the plot area, in user units.
    var plotBottom: Double { top + Frame.plotHeight }



    /// Axes with ticks and grid lines, the title, the note and the axis labels.
    mutating func drawAxes() {
        for (t, label) in zip(y.ticks, y.labels) {
            svg.line(left, y(t), Frame.width - right, y(t), stroke: "#e5e5e5")
            svg.text(label, x: left - 6, y: y(t) + 5, anchor: "end")
        }
        if xTicks {
            for (t, label) in zip(x.ticks, x.labels) {
                svg.line(x(t), top, x(t), plotBottom, stroke: "#f0f0f0")
                svg.text(label, x: x(t), y: plotBottom + 6 + Typography.small, anchor: anchor(forTickAt: x(t), label: label))
            }
        }
        let slot = (Frame.width - right - left) / Double(max(categories.count, 1))
        for (i, label) in categories.enumerated() {
            let center = left + slot * (Double(i) + 0.5)
            if slantCategories {
                svg.text(label, x: center + 4, y: plotBottom + 10, anchor: "end", rotate: -45)
            } else {
                svg.text(label, x: center, y: plotBottom + 6 + Typography.small)
            }
        }
        svg.line(left, plotBottom, Frame.width - right, plotBottom, stroke: "#444")
        svg.line(left, top, left, plotBottom, stroke: "#444")
        svg.lines(titleLines, x: Frame.width / 2, y: 4 + Typography.title, size: Typography.title, weight: "bold")
        svg.lines(noteLines, x: Frame.width / 2, y: 6 + Double(titleLines.count) * Typography.title * Typography.leading + Typography.small, fill: "#555")
        if !xLabel.isEmpty {
            svg.text(xLabel, x: (left + Frame.width - right) / 2, y: plotBottom + 14 + tickArea + Typography.label, size: Typography.label)
        }
        if !yLabel.isEmpty {
            svg.text(yLabel, x: 6 + Typography.label, y: (top + plotBottom) / 2, size: Typography.label, rotate: -90)
        }
    }

    /// A tick label at the plot's edge is aligned to stay inside the chart.
    private func anchor(forTickAt position: Double, label: String) -> String {
        let half = Typography.width(of: label, size: Typography.small) / 2
        if position + half > Frame.width - 4 { return "end" }
        if position - half < 4 { return "start" }
        return "middle"
    }

    /// The legend under the plot, its entries side by side where they fit.
    mutating func drawLegend() {
        var baseline = height - Double(legendRows.count) * Frame.legendRow - 6 + Typography.small
        switch legend {
        case .entries:
            for row in legendRows {
                var x0 = 8.0
                for entry in row {
                    svg.line(x0, baseline - 5, x0 + 20, baseline - 5, stroke: entry.color, width: 3, dash: entry.dashed ? "5 3" : nil)
                    svg.text(entry.label, x: x0 + 26, y: baseline, anchor: "start")
                    x0 += Frame.entryWidth(entry)
                }
                baseline += Frame.legendRow
            }
        case .colorBar(let name, let low, let high):
            let lowText = String(format: "%.3g", low), highText = String(format: "%.3g", high)
            var x0 = 8.0
            svg.text(name, x: x0, y: baseline, anchor: "start")
            x0 += Typography.width(of: name, size: Typography.small) + 10
            svg.text(lowText, x: x0, y: baseline, anchor: "start")
            x0 += Typography.width(of: lowText, size: Typography.small) + 6
            let barWidth = 120.0
            for i in 0..<20 {
                svg.element("rect", [("x", SVG.number(x0 + barWidth * Double(i) / 20)), ("y", SVG.number(baseline - 12)), ("width", SVG.number(barWidth / 20 + 0.5)),
                                     ("height", "12"), ("fill", Palette.ramp(Double(i) / 19))])
            }
            svg.text(highText, x: x0 + barWidth + 6, y: baseline, anchor: "start")
        }
    }

    private static func entryWidth(_ entry: LegendEntry) -> Double { 26 + Typography.width(of: entry.label, size: Typography.small) + 16 }

    /// Entries in rows that fit `width`, in order; an entry wider than a row has a row of its own.
    private static func rows(of legend: Legend, width: Double) -> [[LegendEntry]] {
        switch legend {
        case .colorBar: return [[]]
        case .entries(let entries):
            var rows: [[LegendEntry]] = [], current: [LegendEntry] = [], used = 0.0
            for entry in entries {
                let w = entryWidth(entry)
                if !current.isEmpty, used + w > width {
                    rows.append(current)
                    current = []
                    used = 0
                }
                current.append(entry)
                used += w
            }
            if !current.isEmpty { rows.append(current) }
            return rows
        }
    }

    /// The legend drawn under what the chart drew, and the whole as SVG.
    mutating func document(title: String) -> String {
        drawLegend()
        return svg.document(width: Frame.width, height: height, title: title)
    }
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
