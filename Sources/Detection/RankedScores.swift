/// Scores sorted from most to least anomalous, grouped by distinct value: the cumulative true
/// and false positives at each distinct threshold (scikit-learn's `_binary_clf_curve`).
struct RankedScores {
    /// Distinct scores, descending.
    var thresholds: [Double] = []
    /// Anomalies with a score ≥ each threshold.
    var truePositives: [Double] = []
    /// Normal samples with a score ≥ each threshold.
    var falsePositives: [Double] = []

    init(scores: [Double], labels: [Bool]) throws {
        guard scores.count == labels.count else { throw DetectionError("\(scores.count) scores for \(labels.count) labels") }
        guard !scores.isEmpty else { throw DetectionError("no scores") }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw DetectionError("score \(bad) is \(scores[bad]); every score must be a finite number")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0.0, fp = 0.0
        for (position, i) in order.enumerated() {
            if labels[i] { tp += 1 } else { fp += 1 }
            let isLastOfValue = position == order.count - 1 || scores[order[position + 1]] != scores[i]
            if isLastOfValue {
                thresholds.append(scores[i])
                truePositives.append(tp)
                falsePositives.append(fp)
            }
        }
    }

    var positives: Double { truePositives.last ?? 0 }
    var negatives: Double { falsePositives.last ?? 0 }
}
