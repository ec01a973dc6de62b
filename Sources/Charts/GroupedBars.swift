extension Chart {
    /// Bars in groups, one bar per series in each group, with their values on top and a legend
    /// (e.g. the AUC measured for each held-out digit beside the published one). A value that
    /// could not be measured (nil) is marked "failed" in its place rather than left out.
    ///
    /// ```swift
    /// let svg = Chart.groupedBars(title: "AUC per held-out digit", xLabel: "digit", yLabel: "AUC", labels: ["0", "1"],
    ///                             series: [("measured", [0.91, 0.62]), ("published", [0.96, 0.73])])
    /// ```
    public static func groupedBars(title: String, xLabel: String, yLabel: String, labels: [String], series: [(name: String, values: [Double?])]) -> String {
        let all = series.flatMap { $0.values.compactMap { $0 } }
        var legend = series.enumerated().map { LegendEntry($0.element.name, Palette.color($0.offset)) }
        if series.contains(where: { $0.values.contains { $0 == nil } }) { legend.append(LegendEntry("failed: not measured", Palette.anomalous, true)) }
        // A third of headroom above the tallest bar for the values written above the bars.
        var frame = Frame(title: title, xLabel: xLabel, yLabel: yLabel, legend: .entries(legend),
                          xDomain: (0, Double(max(labels.count, 1))), yDomain: (min(0, all.min() ?? 0), max(all.max() ?? 1, 0) * 1.3), niceX: false, categories: labels)
        frame.drawAxes()
        let slot = (frame.x.range.1 - frame.x.range.0) / Double(max(labels.count, 1))
        let width = slot * 0.8 / Double(max(series.count, 1))
        for i in labels.indices {
            let left = frame.x.range.0 + slot * Double(i) + slot * 0.1
            for (s, entry) in series.enumerated() where i < entry.values.count {
                let x0 = left + width * Double(s)
                guard let value = entry.values[i] else {
                    drawFailed(&frame, x0: x0, width: width * 0.9)
                    continue
                }
                let top = frame.y(max(value, 0)), bottom = frame.y(min(value, 0))
                frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(top)), ("width", SVG.number(width * 0.9)),
                                           ("height", SVG.number(max(bottom - top, 0.5))), ("fill", Palette.color(s))])
                drawValue(&frame, String(format: "%.2f", value), center: x0 + width * 0.45, top: top, room: width)
            }
        }
        return frame.document(title: title)
    }

    /// An outline where a bar would be, and the word "failed", so that a failure is seen.
    static func drawFailed(_ frame: inout Frame, x0: Double, width: Double) {
        let top = frame.y.range.1 + 4, bottom = frame.y(max(frame.y.domain.0, 0))
        frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(top)), ("width", SVG.number(width)), ("height", SVG.number(max(bottom - top, 0.5))),
                                   ("fill", "none"), ("stroke", Palette.anomalous), ("stroke-width", "1.5"), ("stroke-dasharray", "5 3")])
        frame.svg.text("failed", x: x0 + width / 2 + Typography.small * 0.35, y: bottom - 6, anchor: "start", weight: "bold", rotate: -90, fill: Palette.anomalous)
    }

    /// A bar's value above it: level where it fits the bar's width, else upright.
    static func drawValue(_ frame: inout Frame, _ text: String, center: Double, top: Double, room: Double, fill: String = "#222", bold: Bool = false) {
        if Typography.width(of: text, size: Typography.small, bold: bold) <= room + 4 {
            frame.svg.text(text, x: center, y: top - 5, weight: bold ? "bold" : nil, fill: fill)
        } else {
            frame.svg.text(text, x: center + Typography.small * 0.35, y: top - 5, anchor: "start", weight: bold ? "bold" : nil, rotate: -90, fill: fill)
        }
    }
}
