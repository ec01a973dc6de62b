/// Line charts: training curves, ROC and precision-recall curves, scores by sample index.
///
/// ```swift
/// let svg = Chart.roc([(name: "VAE", falsePositiveRate: fpr, truePositiveRate: tpr, auc: 0.91)])
/// ```
public enum Chart {
    /// One line per series (e.g. loss, reconstruction and KL per epoch). `integerX`: ticks on
    /// whole numbers only, for an x that counts (epochs).
    public static func line(title: String, xLabel: String, yLabel: String, series: [Series], integerX: Bool = false) -> String {
        let legend = series.enumerated().map { LegendEntry($0.element.name, Palette.color($0.offset), $0.element.dashed) }
        var frame = Frame(title: title, xLabel: xLabel, yLabel: yLabel, legend: .entries(legend),
                          xDomain: extent(series.flatMap(\.x)), yDomain: extent(series.flatMap(\.y)), integerX: integerX)
        frame.drawAxes()
        for (i, s) in series.enumerated() {
            let points = zip(s.x, s.y).filter { $0.1.isFinite }.map { (frame.x($0.0), frame.y($0.1)) }
            frame.svg.path(points, stroke: Palette.color(i), dash: s.dashed ? "6 4" : nil)
            if points.count == 1 { frame.svg.element("circle", [("cx", SVG.number(points[0].0)), ("cy", SVG.number(points[0].1)), ("r", "3"), ("fill", Palette.color(i))]) }
        }
        return frame.document(title: title)
    }

    /// ROC curves of several detectors, with the chance diagonal and each AUC in the legend.
    public static func roc(title: String = "ROC curve", _ curves: [(name: String, falsePositiveRate: [Double], truePositiveRate: [Double], auc: Double)]) -> String {
        var legend = curves.enumerated().map { LegendEntry("\($0.element.name) (AUC = \(String(format: "%.3f", $0.element.auc)))", Palette.color($0.offset), false) }
        legend.append(LegendEntry("chance (AUC = 0.5)", "#999", true))
        var frame = Frame(title: title, xLabel: "False positive rate", yLabel: "True positive rate", legend: .entries(legend), xDomain: (0, 1), yDomain: (0, 1))
        frame.drawAxes()
        frame.svg.line(frame.x(0), frame.y(0), frame.x(1), frame.y(1), stroke: "#999", dash: "4 4")
        for (i, c) in curves.enumerated() {
            frame.svg.path(zip(c.falsePositiveRate, c.truePositiveRate).map { (frame.x($0), frame.y($1)) }, stroke: Palette.color(i))
        }
        return frame.document(title: title)
    }

    /// Precision-recall curves with the prevalence baseline and each average precision.
    public static func precisionRecall(title: String = "Precision-recall curve", prevalence: Double,
                                       _ curves: [(name: String, precision: [Double], recall: [Double], averagePrecision: Double)]) -> String {
        var legend = curves.enumerated().map { LegendEntry("\($0.element.name) (AP = \(String(format: "%.3f", $0.element.averagePrecision)))", Palette.color($0.offset), false) }
        legend.append(LegendEntry("share of anomalies (\(String(format: "%.3f", prevalence)))", "#999", true))
        var frame = Frame(title: title, xLabel: "Recall", yLabel: "Precision", legend: .entries(legend), xDomain: (0, 1), yDomain: (0, 1))
        frame.drawAxes()
        frame.svg.line(frame.x(0), frame.y(prevalence), frame.x(1), frame.y(prevalence), stroke: "#999", dash: "4 4")
        for (i, c) in curves.enumerated() {
            // A step curve, as average precision measures it.
            var points: [(Double, Double)] = []
            for (p, r) in zip(c.precision, c.recall) {
                if let last = points.last { points.append((frame.x(r), last.1)) }
                points.append((frame.x(r), frame.y(p)))
            }
            frame.svg.path(points, stroke: Palette.color(i))
        }
        return frame.document(title: title)
    }

    /// Each sample's score against its index, normal and anomalous in their colours, with a
    /// horizontal threshold line (seed 004's error-by-index plot).
    public static func scoresByIndex(title: String, yLabel: String = "Score", normal: [Double], anomalous: [Double], threshold: Double?) -> String {
        let all = normal + anomalous + (threshold.map { [$0] } ?? [])
        var legend = [LegendEntry("normal (\(normal.count))", Palette.normal, false), LegendEntry("anomalous (\(anomalous.count))", Palette.anomalous, false)]
        if let threshold { legend.append(LegendEntry("threshold \(String(format: "%g", threshold))", "#C00000", false)) }
        var frame = Frame(title: title, xLabel: "Sample index", yLabel: yLabel, legend: .entries(legend),
                          xDomain: (0, Double(max(normal.count, anomalous.count, 1))), yDomain: extent(all), integerX: true)
        frame.drawAxes()
        for (values, color) in [(normal, Palette.normal), (anomalous, Palette.anomalous)] {
            for (i, v) in values.enumerated() where v.isFinite {
                frame.svg.element("circle", [("cx", SVG.number(frame.x(Double(i)))), ("cy", SVG.number(frame.y(v))), ("r", "2"), ("fill", color)])
            }
        }
        if let threshold {
            frame.svg.line(frame.x.range.0, frame.y(threshold), frame.x.range.1, frame.y(threshold), stroke: "#C00000", width: 1.5)
        }
        return frame.document(title: title)
    }
}
