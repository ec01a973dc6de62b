import Foundation
import XCTest

/// A class graded in shards (`grade --shard I/N`, re-runs included) and merged gives the gradebook
/// a one-process `grade` gives; a missing shard is refused.
final class GradeShardTests: XCTestCase {
    func testAClassGradedInShardsAndMergedIsGradedAsInOneProcess() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-grade-shards")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Each lab beside its report, so that --rerun finds it.
        func report(_ name: String, student: String?, top: String = "0.25") throws -> String {
            let lab = try GradeCommandTests.classLab(in: directory, name: name, student: student, top: top)
            _ = try swiftLab.succeed(["run", "--no-cache", "--out", directory.path, lab.path])
            return directory.appendingPathComponent("\(name).html").path
        }
        let reference = try report("reference", student: nil)
        let alice = try report("alice", student: "Alice"), bob = try report("bob", student: nil, top: "0.1")
        let dave = try report("dave", student: "Dave", top: "0.5")
        let carol = directory.appendingPathComponent("carol.html").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: alice)).prefix(2_000)).write(to: URL(fileURLWithPath: carol))
        let rubric = directory.appendingPathComponent("rubric.yml").path
        try GradeCommandTests.rubric.write(toFile: rubric, atomically: false, encoding: .utf8)
        let common = ["grade", "--rerun", "--rubric", rubric, "--reference", reference, alice, bob, carol, dave]
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        let whole = try swiftLab.run(common + ["-o", path("whole.csv")])
        for index in 1...3 {
            let shard = try swiftLab.run(common + ["--shard", "\(index)/3", "-o", path("grades.shard-\(index).json")])
            XCTAssertEqual(shard.status, 0, shard.stderr)
        }
        let merged = try swiftLab.run(["merge", path("grades.shard-3.json"), path("grades.shard-1.json"), path("grades.shard-2.json"), "-o", path("merged.csv")])
        XCTAssertEqual(merged.status, whole.status, merged.stderr)
        XCTAssertEqual(merged.stderr, whole.stderr)
        let expected = try String(contentsOfFile: path("whole.csv"), encoding: .utf8)
        XCTAssertTrue(expected.contains("carol") && expected.contains("rerun"), expected)
        XCTAssertEqual(try String(contentsOfFile: path("merged.csv"), encoding: .utf8), expected)

        let missing = try swiftLab.run(["merge", path("grades.shard-1.json"), path("grades.shard-3.json"), "-o", path("missing.csv")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("shard 2 of 3 is missing (given: 1, 3)"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("missing.csv")))
        // A report changed after its shard graded it cannot borrow that shard's verdict.
        try Data(try Data(contentsOf: URL(fileURLWithPath: alice)).prefix(3_000)).write(to: URL(fileURLWithPath: alice))
        let changed = try swiftLab.run(["merge", path("grades.shard-1.json"), path("grades.shard-2.json"), path("grades.shard-3.json"), "-o", path("changed.csv")])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("\(alice) changed since its shard graded it"), changed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("changed.csv")))
    }
}
