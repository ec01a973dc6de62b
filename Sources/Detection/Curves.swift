/// A ROC curve: false-positive rate against true-positive rate, one point per threshold, as
/// scikit-learn's `roc_curve` (with `drop_intermediate=True`) returns it. The first threshold is
/// +∞ (nothing flagged).
public struct ROCCurve: Sendable, Equatable {
    public var falsePositiveRate: [Double]
    public var truePositiveRate: [Double]
    public var thresholds: [Double]

    /// ```swift
    /// let roc = try ROCCurve(scores: [0.1, 0.4, 0.35, 0.8], anomalies: [false, false, true, true])
    /// roc.auc   // 0.75
    /// ```
    public init(scores: [Double], anomalies: [Bool]) throws {
        let ranked = try RankedScores(scores: scores, labels: anomalies)
        guard ranked.positives > 0 else { throw DetectionError("the ROC curve needs at least one anomaly; the labels have none") }
        guard ranked.negatives > 0 else { throw DetectionError("the ROC curve needs at least one normal sample; every label is an anomaly") }
        var tps = ranked.truePositives, fps = ranked.falsePositives, thresholds = ranked.thresholds
        // Drop points on a straight line between their neighbours: they add nothing to the curve.
        if fps.count > 2 {
            var keep = [true]
            for i in 1..<(fps.count - 1) {
                let secondFP = fps[i + 1] - 2 * fps[i] + fps[i - 1], secondTP = tps[i + 1] - 2 * tps[i] + tps[i - 1]
                keep.append(secondFP != 0 || secondTP != 0)
            }
            keep.append(true)
            tps = tps.indices.filter { keep[$0] }.map { tps[$0] }
            fps = fps.indices.filter { keep[$0] }.map { fps[$0] }
            thresholds = thresholds.indices.filter { keep[$0] }.map { thresholds[$0] }
        }
        truePositiveRate = [0] + tps.map { $0 / ranked.positives }
        falsePositiveRate = [0] + fps.map { $0 / ranked.negatives }
        self.thresholds = [.infinity] + thresholds
    }

    /// Area under the curve, by the trapezoidal rule.
    public var auc: Double { Curves.trapezoid(x: falsePositiveRate, y: truePositiveRate) }
}

/// A precision-recall curve as scikit-learn's `precision_recall_curve` returns it: recall
/// decreasing to 0, with a last point (precision 1, recall 0) that has no threshold.
public struct PrecisionRecallCurve: Sendable, Equatable {
    public var precision: [Double]
    public var recall: [Double]
    /// Increasing; `thresholds[i]` gives `precision[i]` and `recall[i]` (flag score ≥ threshold).
    public var thresholds: [Double]
    /// Share of anomalies among the samples: the curve of a detector that guesses.
    public var prevalence: Double

    public init(scores: [Double], anomalies: [Bool]) throws {
        let ranked = try RankedScores(scores: scores, labels: anomalies)
        guard ranked.positives > 0 else { throw DetectionError("the precision-recall curve needs at least one anomaly; the labels have none") }
        let precision = zip(ranked.truePositives, ranked.falsePositives).map { tp, fp in tp + fp > 0 ? tp / (tp + fp) : 0 }
        let recall = ranked.truePositives.map { $0 / ranked.positives }
        self.precision = precision.reversed() + [1]
        self.recall = recall.reversed() + [0]
        thresholds = ranked.thresholds.reversed()
        prevalence = ranked.positives / Double(scores.count)
    }

    /// Average precision: Σ (Rₙ − Rₙ₋₁) Pₙ, scikit-learn's definition (no interpolation).
    public var averagePrecision: Double {
        var sum = 0.0
        for i in 0..<(recall.count - 1) { sum -= (recall[i + 1] - recall[i]) * precision[i] }
        return sum
    }

    /// Area under the curve by the trapezoidal rule (scikit-learn's `auc(recall, precision)`),
    /// which is optimistic where precision jumps; average precision is the safer summary.
    public var trapezoidalAUC: Double { Curves.trapezoid(x: recall.reversed(), y: precision.reversed()) }

    /// The threshold of the largest F1 over the curve's points (those with a threshold), as
    /// seed 002 chooses it; points where precision + recall is 0 count as F1 = 0.
    public var f1OptimalThreshold: Double {
        var best = (f1: -1.0, threshold: thresholds.first ?? 0)
        for i in thresholds.indices {
            let p = precision[i], r = recall[i]
            let f1 = p + r > 0 ? 2 * p * r / (p + r) : 0
            if f1 > best.f1 { best = (f1, thresholds[i]) }
        }
        return best.threshold
    }
}

enum Curves {
    /// ∫ y dx over points sorted by x (increasing), by the trapezoidal rule.
    static func trapezoid(x: [Double], y: [Double]) -> Double {
        var area = 0.0
        for i in 1..<x.count { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return area
    }
}
