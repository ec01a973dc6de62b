extension Chart {
    /// A labelled heat map of counts (e.g. a confusion matrix: rows truth, columns decision).
    public static func heatmap(title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String], values: [[Int]]) -> String {
        let cell = 90.0, left = 150.0, top = 70.0
        let width = left + cell * Double(columnLabels.count) + 20, height = top + cell * Double(rowLabels.count) + 40
        let largest = Double(values.flatMap { $0 }.max() ?? 1)
        var svg = SVG()
        svg.text(title, x: width / 2, y: 22, size: 15, weight: "bold")
        svg.text(columnTitle, x: left + cell * Double(columnLabels.count) / 2, y: 44, size: 12)
        svg.text(rowTitle, x: 16, y: top + cell * Double(rowLabels.count) / 2, rotate: -90)
        for (c, label) in columnLabels.enumerated() { svg.text(label, x: left + cell * (Double(c) + 0.5), y: top - 8, size: 11) }
        for (r, label) in rowLabels.enumerated() {
            svg.text(label, x: left - 8, y: top + cell * (Double(r) + 0.5) + 4, anchor: "end", size: 11)
            for c in 0..<columnLabels.count {
                let v = r < values.count && c < values[r].count ? values[r][c] : 0
                let t = largest > 0 ? Double(v) / largest : 0
                svg.element("rect", [("x", SVG.number(left + cell * Double(c))), ("y", SVG.number(top + cell * Double(r))), ("width", SVG.number(cell - 2)),
                                     ("height", SVG.number(cell - 2)), ("fill", Palette.ramp(t))])
                svg.text(String(v), x: left + cell * (Double(c) + 0.5), y: top + cell * (Double(r) + 0.5) + 5, size: 16, weight: "bold", fill: t > 0.6 ? "#111" : "#fff")
            }
        }
        return svg.document(width: width, height: height, title: title)
    }

    /// Vertical bars with their values on top (e.g. AUC per anomalous digit); bars that fail a
    /// `passes` test are drawn in the anomalous colour.
    public static func bar(title: String, xLabel: String, yLabel: String, labels: [String], values: [Double], passes: [Bool]? = nil) -> String {
        var frame = Frame(xDomain: (0, Double(max(labels.count, 1))), yDomain: (min(0, values.min() ?? 0), max(values.max() ?? 1, 0)), niceX: false)
        frame.drawAxes(title: title, xLabel: xLabel, yLabel: yLabel, xTicks: false)
        let slot = (frame.x.range.1 - frame.x.range.0) / Double(max(labels.count, 1))
        for (i, (label, value)) in zip(labels, values).enumerated() {
            let x0 = frame.x.range.0 + slot * Double(i) + slot * 0.15
            let top = frame.y(max(value, 0)), bottom = frame.y(min(value, 0))
            let color = passes.map { $0[i] ? Palette.normal : Palette.anomalous } ?? Palette.color(0)
            frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(top)), ("width", SVG.number(slot * 0.7)), ("height", SVG.number(max(bottom - top, 0.5))), ("fill", color)])
            frame.svg.text(String(format: "%.3f", value), x: x0 + slot * 0.35, y: top - 4, size: 10)
            frame.svg.text(label, x: x0 + slot * 0.35, y: frame.y.range.0 + 16, size: 10)
        }
        return frame.document(title: title)
    }
}
