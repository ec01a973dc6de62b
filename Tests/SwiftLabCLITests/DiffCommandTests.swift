import Foundation
import XCTest

/// `swift-lab diff` on real reports of lab 001 (quick).
final class DiffCommandTests: XCTestCase {
    func testDiffOfRealReports() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-diff")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = "Labs/001-autoencoder-rotated-digits.md"
        func report(_ name: String, _ extra: [String] = []) throws -> String {
            let out = directory.appendingPathComponent(name).path
            _ = try swiftLab.succeed(["run", "--quick", "--no-cache", "--out", out, lab] + extra)
            return out + "/001-autoencoder-rotated-digits.html"
        }
        let a = try report("a"), b = try report("b"), turned = try report("turned", ["--set", "angle=45"])

        let same = try swiftLab.run(["diff", a, b])
        XCTAssertEqual(same.status, 0, same.stdout)
        XCTAssertTrue(same.stdout.hasSuffix("verdict: equal within tolerance\n"))

        let changed = try swiftLab.run(["diff", a, turned])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stdout.contains("settings that differ:\n  angle: 90 → 45\n"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("  score rotation_error auc: "), changed.stdout)

        let json = try swiftLab.run(["diff", "--json", a, turned.replacingOccurrences(of: ".html", with: ".json")])
        XCTAssertEqual(json.status, 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((object?["settings"] as? [[String: Any]])?.first?["b"] as? String, "45")

        let truncated = directory.appendingPathComponent("truncated.html")
        try Data(try Data(contentsOf: URL(fileURLWithPath: a)).prefix(50_000)).write(to: truncated)
        let broken = try swiftLab.run(["diff", a, truncated.path])
        XCTAssertEqual(broken.status, 2)
        XCTAssertEqual(broken.stderr, "error: \(truncated.path): the file is truncated: its embedded results are missing\n")

        let batch = try swiftLab.run(["diff", "--csv", "--reference", a, b, turned, truncated.path])
        XCTAssertEqual(batch.status, 1)
        let rows = batch.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(rows.count, 5, batch.stdout)
        XCTAssertEqual(rows[1], "\(b),same,none,none,–,equal")
        XCTAssertTrue(rows[2].hasPrefix("\(turned),same,angle=45 (was 90),"), rows[2])
        XCTAssertEqual(rows[3], "\(truncated.path),–,–,–,–,unreadable: the file is truncated: its embedded results are missing")
    }
}
