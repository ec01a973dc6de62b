/// Counts and rates of flagging every sample whose score is at least a threshold.
public struct Classification: Sendable, Equatable {
    public var threshold: Double
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(scores: [Double], anomalies: [Bool], threshold: Double) throws {
        guard scores.count == anomalies.count else { throw DetectionError("\(scores.count) scores for \(anomalies.count) labels") }
        self.threshold = threshold
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (score, anomaly) in zip(scores, anomalies) {
            switch (score >= threshold, anomaly) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        (truePositives, falsePositives, trueNegatives, falseNegatives) = (tp, fp, tn, fn)
    }

    /// tp / (tp + fp); 0 when nothing is flagged (scikit-learn's zero_division default).
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// tp / (tp + fn); 0 without anomalies.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }
    public var accuracy: Double { ratio(truePositives + trueNegatives, truePositives + falsePositives + trueNegatives + falseNegatives) }
    /// Share of normal samples flagged.
    public var falsePositiveRate: Double { ratio(falsePositives, falsePositives + trueNegatives) }

    /// [[tn, fp], [fn, tp]]: rows are the truth (normal, anomaly), columns the decision, as
    /// scikit-learn's `confusion_matrix`.
    public var confusionMatrix: [[Int]] { [[trueNegatives, falsePositives], [falseNegatives, truePositives]] }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// How a decision threshold is chosen.
public enum ThresholdRule: Sendable, Equatable {
    case fixed(Double)
    /// mean + k · std of reference scores (normal data): seed 001's three-sigma rule.
    case sigma(Double)
    /// The threshold with the best F1 on labelled validation scores: seed 002.
    case f1Optimal
    /// Flag this fraction of the highest scores.
    case top(Double)

    /// The threshold. `reference` are the scores the rule learns from: normal scores for
    /// `sigma`, labelled validation scores for `f1Optimal`, the scored set itself for `top`.
    public func threshold(reference: [Double], anomalies: [Bool] = []) throws -> Double {
        switch self {
        case .fixed(let value):
            return value
        case .sigma(let k):
            guard !reference.isEmpty else { throw DetectionError("the sigma rule needs reference scores") }
            let mean = reference.reduce(0, +) / Double(reference.count)
            let variance = reference.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(reference.count)
            return mean + k * variance.squareRoot()
        case .f1Optimal:
            return try PrecisionRecallCurve(scores: reference, anomalies: anomalies).f1OptimalThreshold
        case .top(let fraction):
            guard (0...1).contains(fraction), !reference.isEmpty else { throw DetectionError("'top' needs a fraction between 0 and 1 and some scores") }
            let sorted = reference.sorted(by: >)
            let count = max(1, Int((fraction * Double(sorted.count)).rounded()))
            return sorted[min(count, sorted.count) - 1]
        }
    }
}
