import Detection
import XCTest

/// The precision-recall curve read by threshold (what `plot kind: thresholds` draws) gives, at
/// each threshold, exactly the precision and recall of flagging the scores at or above it.
final class ThresholdCurveTests: XCTestCase {
    func testEachThresholdsPointIsThatThresholdsClassification() throws {
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.05, 0.9, 0.6]
        let anomalies = [false, false, true, true, true, false, true, false]
        let curve = try PrecisionRecallCurve(scores: scores, anomalies: anomalies)
        XCTAssertEqual(curve.thresholds, Array(Set(scores)).sorted())
        for (i, threshold) in curve.thresholds.enumerated() {
            let decided = try Classification(scores: scores, anomalies: anomalies, threshold: threshold)
            XCTAssertEqual(curve.precision[i], decided.precision, accuracy: 1e-12, "precision at \(threshold)")
            XCTAssertEqual(curve.recall[i], decided.recall, accuracy: 1e-12, "recall at \(threshold)")
        }
    }
}
