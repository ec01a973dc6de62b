import Foundation
import XCTest
@testable import Grading

final class ComparisonTests: TemporaryDirectoryTestCase {
    private func report(_ name: String, _ fixture: ReportFixture) throws -> GradedReport {
        try ReportReader.read(path: try fixture.write(to: directory.appendingPathComponent(name)))
    }

    func testTheSameResultsAreEqual() throws {
        let c = ReportComparison(try report("a.html", ReportFixture()), try report("b.html", ReportFixture()))
        XCTAssertTrue(c.isEqual)
        XCTAssertEqual(c.metrics.count, 10)
        XCTAssertTrue(c.metrics.allSatisfy { $0.a == $0.b })
        XCTAssertTrue(ComparisonText.summary(c).hasSuffix("verdict: equal within tolerance"))
    }

    func testTheHTMLAndItsJSONReadTheSame() throws {
        let fixture = ReportFixture()
        let fromHTML = try report("a.html", fixture)
        let json = directory.appendingPathComponent("a.json")
        try fixture.json.write(to: json, atomically: false, encoding: .utf8)
        let fromJSON = try ReportReader.read(path: json.path)
        XCTAssertEqual(fromJSON.metrics, fromHTML.metrics)
        XCTAssertEqual(fromJSON.challengeOutcomes, fromHTML.challengeOutcomes)
        XCTAssertEqual(fromJSON.steps, fromHTML.steps)
    }

    func testAChangedParameterIsReportedExactly() throws {
        var changed = ReportFixture()
        changed.parameters["angle"] = "45"
        let c = ReportComparison(try report("a.html", ReportFixture()), try report("b.html", changed))
        XCTAssertEqual(c.settings, [ReportComparison.Change(name: "angle", a: "90", b: "45")])
        XCTAssertTrue(c.metricsBeyondTolerance.isEmpty)
        XCTAssertFalse(c.isEqual)
        XCTAssertTrue(ComparisonText.summary(c).contains("\n  angle: 90 → 45\n"))
    }

    func testAChangedMetricIsReportedWithBothValues() throws {
        var changed = ReportFixture()
        changed.auc = 0.9012
        let c = ReportComparison(try report("a.html", ReportFixture()), try report("b.html", changed))
        XCTAssertEqual(c.metricsBeyondTolerance, [.init(key: "score rotation_error auc", metric: "auc", a: 0.9512, b: 0.9012, withinTolerance: false)])
        XCTAssertTrue(ComparisonText.summary(c).contains("  score rotation_error auc: 0.9512 → 0.9012 (difference -0.05)"), ComparisonText.summary(c))
        XCTAssertTrue(c.settings.isEmpty)
        XCTAssertFalse(c.isEqual)
    }

    func testOtherBLASKernelsAreANoteNotADifference() throws {
        var other = ReportFixture()
        other.blas = "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"
        let c = ReportComparison(try report("a.html", ReportFixture()), try report("b.html", other))
        XCTAssertTrue(c.isEqual)
        XCTAssertTrue(ComparisonText.summary(c).contains("note: BLAS OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64 → OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64\n"),
                      ComparisonText.summary(c))
    }

    func testSmallDifferencesFromAnotherCPUAreWithinTolerance() throws {
        var nearby = ReportFixture()
        nearby.auc = 0.9551          // 0.0039 away: within the 0.01 of a rate
        nearby.finalLoss = 0.0176    // 1.1 % away: within the 2 % of a loss
        let a = try report("a.html", ReportFixture()), b = try report("b.html", nearby)
        let c = ReportComparison(a, b)
        XCTAssertTrue(c.isEqual, ComparisonText.summary(c))
        XCTAssertEqual(c.metrics.filter { $0.a != $0.b }.count, 2)
        XCTAssertTrue(ComparisonText.summary(c).contains("metrics that moved within tolerance:\n  train autoencoder final_loss: 0.0174 → 0.0176\n"),
                      ComparisonText.summary(c))
        // A tighter tolerance makes them differences.
        let strict = ReportComparison(a, b, tolerance: Tolerance.defaults.overriding(absolute: 0, relative: 0.001))
        XCTAssertEqual(strict.metricsBeyondTolerance.map(\.key), ["train autoencoder final_loss", "score rotation_error auc"])
        // Counts must match exactly, whatever the tolerance.
        var fewer = ReportFixture()
        fewer.samples = 19_999
        let counted = ReportComparison(a, try report("c.html", fewer), tolerance: Tolerance.defaults.overriding(absolute: 10, relative: 1))
        XCTAssertEqual(counted.metricsBeyondTolerance.map(\.key), ["score rotation_error samples"])
    }

    func testToleranceRule() {
        let t = Tolerance.defaults
        XCTAssertTrue(t.allows("auc", 0.955, 0.96))
        XCTAssertFalse(t.allows("auc", 0.95, 0.9601))
        XCTAssertTrue(t.allows("final_loss", 100, 102))
        XCTAssertFalse(t.allows("final_loss", 100, 102.1))
        XCTAssertFalse(t.allows("epochs", 20, 19))
        XCTAssertFalse(t.allows("auc", .nan, .nan), "a NaN never equals anything")
        XCTAssertTrue(t.allows("threshold", .infinity, .infinity))
    }

    func testChallengeOutcomesStepsAndTheLabAreCompared() throws {
        var other = ReportFixture()
        other.challengePasses = [true, true]
        other.extraScore = true
        other.labSHA256 = String(repeating: "cd", count: 32)
        let c = ReportComparison(try report("a.html", ReportFixture()), try report("b.html", other))
        XCTAssertFalse(c.sameLab)
        XCTAssertEqual(c.outcomes, [.init(key: "How far must a digit turn? [angle=90]", expectation: "auc >= 0.8", a: false, b: true)])
        XCTAssertEqual(c.stepsOnlyInB, ["score pca_error (line 155)"])
        XCTAssertEqual(c.metricsOnlyInB, ["score pca_error auc"])
        let text = ComparisonText.summary(c)
        XCTAssertTrue(text.contains("lab: DIFFERENT files"))
        XCTAssertTrue(text.contains("  How far must a digit turn? [angle=90], expect auc >= 0.8: fail → pass"), text)
        let json = try JSONSerialization.jsonObject(with: Data(try ComparisonText.json(c).utf8)) as? [String: Any]
        XCTAssertEqual(json?["equal"] as? Bool, false)
        XCTAssertEqual(json?["same_lab"] as? Bool, false)
    }
}
