extension Chart {
    /// Bars in groups, one bar per series in each group, with their values on top and a legend
    /// (e.g. the AUC measured for each held-out digit beside the published one).
    ///
    /// ```swift
    /// let svg = Chart.groupedBars(title: "AUC per held-out digit", xLabel: "digit", yLabel: "AUC", labels: ["0", "1"],
    ///                             series: [("measured", [0.91, 0.62]), ("published", [0.96, 0.73])])
    /// ```
    public static func groupedBars(title: String, xLabel: String, yLabel: String, labels: [String], series: [(name: String, values: [Double])]) -> String {
        let all = series.flatMap(\.values)
        // A quarter of headroom above the tallest bar keeps the legend clear of the bars.
        var frame = Frame(xDomain: (0, Double(max(labels.count, 1))), yDomain: (min(0, all.min() ?? 0), max(all.max() ?? 1, 0) * 1.25), niceX: false)
        frame.drawAxes(title: title, xLabel: xLabel, yLabel: yLabel, xTicks: false)
        let slot = (frame.x.range.1 - frame.x.range.0) / Double(max(labels.count, 1))
        let width = slot * 0.8 / Double(max(series.count, 1))
        for (i, label) in labels.enumerated() {
            let left = frame.x.range.0 + slot * Double(i) + slot * 0.1
            for (s, entry) in series.enumerated() where i < entry.values.count {
                let value = entry.values[i], x0 = left + width * Double(s)
                let top = frame.y(max(value, 0)), bottom = frame.y(min(value, 0))
                frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(top)), ("width", SVG.number(width * 0.9)),
                                           ("height", SVG.number(max(bottom - top, 0.5))), ("fill", Palette.color(s))])
                frame.svg.text(String(format: "%.2f", value), x: x0 + width * 0.45, y: top - 4, size: 9)
            }
            frame.svg.text(label, x: left + slot * 0.4, y: frame.y.range.0 + 16, size: 10)
        }
        frame.drawLegend(series.enumerated().map { ($0.element.name, Palette.color($0.offset), false) })
        return frame.document(title: title)
    }
}
