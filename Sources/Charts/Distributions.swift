import Foundation

/// A group of values drawn in one colour (normal in green, anomalous in red).
public struct ValueGroup: Sendable {
    public var name: String
    public var values: [Double]
    public var color: String

    public init(name: String, values: [Double], color: String) {
        self.name = name
        self.values = values
        self.color = color
    }
}

extension Chart {
    /// Overlaid histograms over shared bins, with transparency; counts or densities.
    public static func histogram(title: String, xLabel: String, groups: [ValueGroup], bins: Int = 50,
                                 density: Bool = false, threshold: Double? = nil) -> String {
        let (low, high) = extent(groups.flatMap(\.values))
        let width = (high > low ? high - low : 1) / Double(max(bins, 1))
        let heights: [[Double]] = groups.map { group in
            var counts = [Double](repeating: 0, count: bins)
            for v in group.values where v.isFinite { counts[min(Int((v - low) / width), bins - 1)] += 1 }
            let total = Double(max(group.values.count, 1))
            return density ? counts.map { $0 / (total * width) } : counts
        }
        var legend = groups.map { LegendEntry("\($0.name) (\($0.values.count))", $0.color, false) }
        if let threshold { legend.append(thresholdEntry(threshold)) }
        var frame = Frame(title: title, xLabel: xLabel, yLabel: density ? "Density" : "Count", legend: .entries(legend),
                          xDomain: (low, low + width * Double(bins)), yDomain: (0, heights.flatMap { $0 }.max() ?? 1))
        frame.drawAxes()
        for (group, counts) in zip(groups, heights) {
            for (b, h) in counts.enumerated() where h > 0 {
                let x0 = frame.x(low + Double(b) * width), x1 = frame.x(low + Double(b + 1) * width)
                frame.svg.element("rect", [("x", SVG.number(x0)), ("y", SVG.number(frame.y(h))), ("width", SVG.number(max(x1 - x0, 0.5))),
                                           ("height", SVG.number(frame.y(0) - frame.y(h))), ("fill", group.color), ("fill-opacity", "0.45")])
            }
        }
        if let threshold { drawThreshold(&frame, threshold) }
        return frame.document(title: title)
    }

    /// Gaussian kernel density curves, one per group, bandwidth by Scott's rule as scipy's
    /// `gaussian_kde` (and so seaborn's `kdeplot`) computes it: std · n^(−1/5), std with n − 1.
    public static func kde(title: String, xLabel: String, groups: [ValueGroup], threshold: Double? = nil) -> String {
        let curves = groups.map { density(of: $0.values, points: 200, around: extent(groups.flatMap(\.values))) }
        var legend = groups.map { LegendEntry("\($0.name) (\($0.values.count))", $0.color, false) }
        if let threshold { legend.append(thresholdEntry(threshold)) }
        var frame = Frame(title: title, xLabel: xLabel, yLabel: "Density", legend: .entries(legend),
                          xDomain: extent(curves.flatMap { $0.map(\.0) }), yDomain: (0, curves.flatMap { $0.map(\.1) }.max() ?? 1))
        frame.drawAxes()
        for (group, curve) in zip(groups, curves) {
            let points = curve.map { (frame.x($0.0), frame.y($0.1)) }
            frame.svg.path(points + [(points.last?.0 ?? 0, frame.y(0)), (points.first?.0 ?? 0, frame.y(0))], stroke: "none", width: 0, fill: group.color, opacity: 0.25)
            frame.svg.path(points, stroke: group.color)
        }
        if let threshold { drawThreshold(&frame, threshold) }
        return frame.document(title: title)
    }

    /// (x, density) on a grid reaching three bandwidths beyond the data.
    static func density(of values: [Double], points: Int, around range: (Double, Double)) -> [(Double, Double)] {
        let v = values.filter(\.isFinite)
        guard v.count > 1 else { return [(range.0, 0), (range.1, 0)] }
        let mean = v.reduce(0, +) / Double(v.count)
        let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
        let h = max(std, 1e-12) * pow(Double(v.count), -0.2)
        let low = range.0 - 3 * h, high = range.1 + 3 * h
        let norm = 1 / (Double(v.count) * h * (2 * Double.pi).squareRoot())
        return (0..<points).map { i in
            let x = low + (high - low) * Double(i) / Double(points - 1)
            return (x, norm * v.reduce(0) { $0 + exp(-0.5 * (x - $1) * (x - $1) / (h * h)) })
        }
    }

    static func thresholdEntry(_ threshold: Double) -> LegendEntry { LegendEntry("threshold \(String(format: "%g", threshold))", "#C00000", true) }

    static func drawThreshold(_ frame: inout Frame, _ threshold: Double) {
        frame.svg.line(frame.x(threshold), frame.y.range.0, frame.x(threshold), frame.y.range.1, stroke: "#C00000", width: 1.5, dash: "6 3")
    }
}
