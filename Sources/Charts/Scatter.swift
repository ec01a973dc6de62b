/// One point of a scatter plot.
public struct ScatterPoint: Sendable {
    public var x: Double
    public var y: Double
    /// Index into the chart's group names (its colour), or nil when coloured by `value`.
    public var group: Int?
    /// A score in the colour bar's range, for charts coloured by score.
    public var value: Double?
    /// Drawn larger and in black, on top.
    public var highlighted: Bool

    public init(x: Double, y: Double, group: Int? = nil, value: Double? = nil, highlighted: Bool = false) {
        self.x = x; self.y = y; self.group = group; self.value = value; self.highlighted = highlighted
    }
}

extension Chart {
    /// More points than this are thinned (every k-th point, deterministically) and the chart
    /// says how many it shows, so a 10,000-point scatter stays small.
    public static let maximumScatterPoints = 2_500

    /// A scatter of points coloured by group (anomalies highlighted in black), or by value with a
    /// colour bar. `note` is printed under the title (e.g. "projected by PCA").
    public static func scatter(title: String, xLabel: String, yLabel: String, points: [ScatterPoint],
                               groups: [String] = [], highlightName: String = "anomaly", valueName: String? = nil, note: String? = nil) -> String {
        let stride = max(1, (points.count + maximumScatterPoints - 1) / maximumScatterPoints)
        let shown = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        var subtitle = [note].compactMap { $0 }
        if stride > 1 { subtitle.append("showing \(shown.count) of \(points.count) points (every \(stride)th)") }
        let values = shown.compactMap(\.value)
        let (low, high) = extent(values)
        let legend: Legend
        if let valueName, !values.isEmpty {
            legend = .colorBar(name: valueName, low: low, high: high)
        } else {
            var entries = groups.enumerated().map { LegendEntry($0.element, Palette.color($0.offset), false) }
            if shown.contains(where: \.highlighted) { entries.append(LegendEntry(highlightName, Palette.anomalyMarker, false)) }
            legend = .entries(entries)
        }
        var frame = Frame(title: title, note: subtitle.isEmpty ? nil : subtitle.joined(separator: "; "), xLabel: xLabel, yLabel: yLabel,
                          legend: legend, xDomain: extent(shown.map(\.x)), yDomain: extent(shown.map(\.y)))
        frame.drawAxes()
        func color(_ p: ScatterPoint) -> String {
            if p.highlighted { return Palette.anomalyMarker }
            if let v = p.value { return Palette.ramp(high > low ? (v - low) / (high - low) : 0.5) }
            return Palette.color(p.group ?? 0)
        }
        // Highlighted points last, so they stay visible on top.
        for p in shown.filter({ !$0.highlighted }) + shown.filter(\.highlighted) {
            frame.svg.element("circle", [("cx", SVG.number(frame.x(p.x))), ("cy", SVG.number(frame.y(p.y))), ("r", p.highlighted ? "3" : "2"),
                                         ("fill", color(p)), ("fill-opacity", "0.75")])
        }
        return frame.document(title: title)
    }
}
