extension Chart {
    /// A labelled heat map of counts (e.g. a confusion matrix: rows truth, columns decision).
    public static func heatmap(title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String], values: [[Int]]) -> String {
        let longestRow = rowLabels.map { Typography.width(of: $0, size: Typography.small) }.max() ?? 0
        let labelRoom = 10 + Typography.label * 1.4 + longestRow + 8
        let cell = min(90.0, (Typography.columnWidth - labelRoom - 12) / Double(max(columnLabels.count, 1)))
        let titleLines = Typography.wrap(title, width: Typography.columnWidth - 16, size: Typography.title, bold: true)
        let top = 4 + Double(titleLines.count) * Typography.title * Typography.leading + 8 + Typography.label + 8 + Typography.small + 8
        let width = max(labelRoom + cell * Double(columnLabels.count) + 12, Typography.columnWidth)
        // The matrix and its labels centred in the column.
        let left = labelRoom + (width - (labelRoom + cell * Double(columnLabels.count) + 12)) / 2
        let height = top + cell * Double(rowLabels.count) + 12
        let largest = Double(values.flatMap { $0 }.max() ?? 1)
        var svg = SVG()
        let afterTitle = svg.lines(titleLines, x: width / 2, y: 4 + Typography.title, size: Typography.title, weight: "bold")
        svg.text(columnTitle, x: left + cell * Double(columnLabels.count) / 2, y: afterTitle - Typography.title * Typography.leading + 8 + Typography.label + 4, size: Typography.label)
        svg.text(rowTitle, x: left - labelRoom + 10 + Typography.label, y: top + cell * Double(rowLabels.count) / 2, size: Typography.label, rotate: -90)
        for (c, label) in columnLabels.enumerated() { svg.text(label, x: left + cell * (Double(c) + 0.5), y: top - 8) }
        for (r, label) in rowLabels.enumerated() {
            svg.text(label, x: left - 8, y: top + cell * (Double(r) + 0.5) + 5, anchor: "end")
            for c in 0..<columnLabels.count {
                let v = r < values.count && c < values[r].count ? values[r][c] : 0
                let t = largest > 0 ? Double(v) / largest : 0
                svg.element("rect", [("x", SVG.number(left + cell * Double(c))), ("y", SVG.number(top + cell * Double(r))), ("width", SVG.number(cell - 2)),
                                     ("height", SVG.number(cell - 2)), ("fill", Palette.ramp(t))])
                svg.text(String(v), x: left + cell * (Double(c) + 0.5), y: top + cell * (Double(r) + 0.5) + 6, size: Typography.title, weight: "bold", fill: t > 0.6 ? "#111" : "#fff")
            }
        }
        return svg.document(width: width, height: height, title: title)
    }

    /// Vertical bars with their values on top (e.g. AUC per anomalous digit); bars that fail a
    /// `passes` test are drawn in the anomalous colour, and a value that could not be measured
    /// (nil) is marked "failed" in its slot rather than left out.
    ///
    /// ```swift
    /// let svg = Chart.bar(title: "AUC per learning rate", xLabel: "lr", yLabel: "AUC", labels: ["0.001", "10"], values: [0.91, nil])
    /// ```
    public static func bar(title: String, xLabel: String, yLabel: String, labels: [String], values: [Double?], passes: [Bool]? = nil) -> String {
        let measured = values.compactMap { $0 }
        var legend: [LegendEntry] = []
        if passes != nil { legend += [LegendEntry("passes", Palette.normal), LegendEntry("fails", Palette.anomalous)] }
        if measured.count < values.count { legend.append(LegendEntry("failed: not measured", Palette.anomalous, true)) }
        var frame = Frame(title: title, xLabel: xLabel, yLabel: yLabel, legend: .entries(legend), xDomain: (0, Double(max(labels.count, 1))),
                          yDomain: (min(0, measured.min() ?? 0), max(measured.max() ?? 1, 0) * 1.3), niceX: false, categories: labels)
        frame.drawAxes()
        let slot = (frame.x.range.1 - frame.x.range.0) / Double(max(labels.count, 1))
        for (i, value) in values.prefix(labels.count).enumerated() {
            let x0 = frame.x.range.0 + slot * Double(i) + slot * 0.15, center = x0 + slot * 0.35
            guard let value else {
                drawFailed(&frame, x0: x0, width: slot * 0.7)
                continue
            }
            let top = frame.y(max(value, 0)), bottom = frame.y(min(value, 0))
            let color = passes.map { i < $0.count && $0[i] ? Palette.normal : Palette.anomalous } ?? Palette.color(0)
            frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(top)), ("width", SVG.number(slot * 0.7)), ("height", SVG.number(max(bottom - top, 0.5))), ("fill", color)])
            drawValue(&frame, String(format: "%.3f", value), center: center, top: top, room: slot * 0.7)
        }
        return frame.document(title: title)
    }
}
