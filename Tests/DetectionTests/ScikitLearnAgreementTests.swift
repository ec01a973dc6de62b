import Foundation
import XCTest
@testable import Detection

/// Metrics against scikit-learn on committed fixtures (Fixtures/make_sklearn_fixtures.py made
/// them): every curve point and every number must agree to 1e-9 (relative to its size).
final class ScikitLearnAgreementTests: XCTestCase {
    struct Case: Decodable {
        struct AtThreshold: Decodable {
            var precision: Double, recall: Double, f1: Double, accuracy: Double
            var confusion_matrix: [[Int]]
        }
        var name: String
        var scores: [Double]
        var labels: [Int]
        var roc_fpr: [Double], roc_tpr: [Double], roc_thresholds: [Double?], roc_auc: Double
        var precision: [Double], recall: [Double], pr_thresholds: [Double]
        var average_precision: Double, pr_auc_trapezoid: Double, f1_optimal_threshold: Double
        var at_threshold: AtThreshold
    }

    private func cases() throws -> [Case] {
        struct File: Decodable { var cases: [Case] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sklearn-metrics.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    private func assertClose(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(what): length", file: file, line: line)
        for (x, y) in zip(a, b) { assertClose(x, y, what, file: file, line: line) }
    }

    private func assertClose(_ a: Double, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), what, file: file, line: line)
    }

    func testEveryCaseAgrees() throws {
        let all = try cases()
        XCTAssertEqual(all.count, 9)
        for c in all {
            let anomalies = c.labels.map { $0 == 1 }
            let roc = try ROCCurve(scores: c.scores, anomalies: anomalies)
            assertClose(roc.falsePositiveRate, c.roc_fpr, "\(c.name) fpr")
            assertClose(roc.truePositiveRate, c.roc_tpr, "\(c.name) tpr")
            XCTAssertEqual(roc.thresholds.first, .infinity)
            assertClose(Array(roc.thresholds.dropFirst()), c.roc_thresholds.dropFirst().map { $0! }, "\(c.name) roc thresholds")
            assertClose(roc.auc, c.roc_auc, "\(c.name) roc auc")

            let pr = try PrecisionRecallCurve(scores: c.scores, anomalies: anomalies)
            assertClose(pr.precision, c.precision, "\(c.name) precision")
            assertClose(pr.recall, c.recall, "\(c.name) recall")
            assertClose(pr.thresholds, c.pr_thresholds, "\(c.name) pr thresholds")
            assertClose(pr.averagePrecision, c.average_precision, "\(c.name) average precision")
            assertClose(pr.trapezoidalAUC, c.pr_auc_trapezoid, "\(c.name) pr auc")
            assertClose(pr.f1OptimalThreshold, c.f1_optimal_threshold, "\(c.name) f1-optimal threshold")

            let at = try Classification(scores: c.scores, anomalies: anomalies, threshold: pr.f1OptimalThreshold)
            assertClose(at.precision, c.at_threshold.precision, "\(c.name) precision at threshold")
            assertClose(at.recall, c.at_threshold.recall, "\(c.name) recall at threshold")
            assertClose(at.f1, c.at_threshold.f1, "\(c.name) f1 at threshold")
            assertClose(at.accuracy, c.at_threshold.accuracy, "\(c.name) accuracy at threshold")
            XCTAssertEqual(at.confusionMatrix, c.at_threshold.confusion_matrix, "\(c.name) confusion matrix")
        }
    }

    func testDegenerateInputsAreClearErrors() {
        XCTAssertThrowsError(try ROCCurve(scores: [1, 2], anomalies: [false, false])) {
            XCTAssertEqual("\($0)", "the ROC curve needs at least one anomaly; the labels have none")
        }
        XCTAssertThrowsError(try ROCCurve(scores: [1, 2], anomalies: [true, true])) {
            XCTAssertEqual("\($0)", "the ROC curve needs at least one normal sample; every label is an anomaly")
        }
        XCTAssertThrowsError(try ROCCurve(scores: [1, .nan], anomalies: [true, false])) {
            XCTAssertEqual("\($0)", "score 1 is nan; every score must be a finite number")
        }
        XCTAssertThrowsError(try PrecisionRecallCurve(scores: [1], anomalies: [true, false]))
        XCTAssertThrowsError(try ROCCurve(scores: [], anomalies: []))
        // With no anomalies, precision and recall are 0 by definition, not a crash.
        let none = try? Classification(scores: [0.1, 0.2], anomalies: [false, false], threshold: 0.15)
        XCTAssertEqual(none?.recall, 0)
        XCTAssertEqual(none?.falsePositiveRate, 0.5)
    }

    func testThresholdRules() throws {
        XCTAssertEqual(try ThresholdRule.fixed(0.05).threshold(reference: []), 0.05)
        // Population standard deviation, as numpy's std: mean 2, std √(2/3).
        XCTAssertEqual(try ThresholdRule.sigma(3).threshold(reference: [1, 2, 3]), 2 + 3 * (2.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try ThresholdRule.top(0.25).threshold(reference: [5, 1, 4, 2, 3, 8, 7, 6]), 7)
        XCTAssertEqual(try ThresholdRule.f1Optimal.threshold(reference: [0.1, 0.2, 0.8, 0.9], anomalies: [false, false, true, true]), 0.8)
    }
}
