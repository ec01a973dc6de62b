import Sharding
import XCTest

/// `--shard auto` from a Slurm array's or a Kubernetes Indexed Job's environment, hostile values
/// included: each is refused with one sentence naming the variable.
final class SchedulerShardTests: XCTestCase {
    func testASlurmArrayFromZero() throws {
        let found = try SchedulerShard.read(["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3"], count: nil)
        XCTAssertEqual(found.shard, try Shard(index: 1, count: 4))
        XCTAssertTrue(found.explanation.contains("SLURM_ARRAY_TASK_ID=0"), found.explanation)
        XCTAssertTrue(found.explanation.hasSuffix("shard 1/4"), found.explanation)
    }

    func testASlurmArrayFromOneWithItsCount() throws {
        let environment = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_COUNT": "5"]
        XCTAssertEqual(try SchedulerShard.read(environment, count: nil).shard, try Shard(index: 5, count: 5))
        XCTAssertEqual(try SchedulerShard.read(environment, count: 5).shard, try Shard(index: 5, count: 5), "auto/N agrees")
        let countOnly = ["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"]
        XCTAssertEqual(try SchedulerShard.read(countOnly, count: nil).shard, try Shard(index: 3, count: 4))
    }

    func testASlurmArrayWithAStep() throws {
        let environment = ["SLURM_ARRAY_TASK_ID": "20", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "30", "SLURM_ARRAY_TASK_STEP": "10"]
        XCTAssertEqual(try SchedulerShard.read(environment, count: nil).shard, try Shard(index: 3, count: 4))
        refuse(environment.merging(["SLURM_ARRAY_TASK_ID": "25"]) { $1 }, "not in the array")
        refuse(environment.merging(["SLURM_ARRAY_TASK_STEP": "0"]) { $1 }, "STEP is 0")
    }

    func testAKubernetesIndexedJob() throws {
        let found = try SchedulerShard.read(["JOB_COMPLETION_INDEX": "2"], count: 3)
        XCTAssertEqual(found.shard, try Shard(index: 3, count: 3))
        XCTAssertTrue(found.explanation.contains("JOB_COMPLETION_INDEX=2, 3 completions"), found.explanation)
        refuse(["JOB_COMPLETION_INDEX": "3"], count: 3, "beyond the 3 completions")
        refuse(["JOB_COMPLETION_INDEX": "0"], count: nil, "--shard auto/N")
        refuse(["JOB_COMPLETION_INDEX": "-1"], count: 3, "JOB_COMPLETION_INDEX is '-1'")
        refuse(["JOB_COMPLETION_INDEX": ""], count: 3, "JOB_COMPLETION_INDEX is ''")
        refuse(["JOB_COMPLETION_INDEX": "99999999999999999999"], count: 3, "20 digits")
    }

    func testHostileSlurmValuesAreRefused() {
        let base = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3"]
        func with(_ changes: [String: String?]) -> [String: String] {
            var environment = base
            for (name, value) in changes { environment[name] = value }
            return environment
        }
        refuse(with(["SLURM_ARRAY_TASK_ID": "-1"]), "SLURM_ARRAY_TASK_ID is '-1'")
        refuse(with(["SLURM_ARRAY_TASK_ID": "one"]), "not a number")
        refuse(with(["SLURM_ARRAY_TASK_ID": "1 "]), "not a number")
        refuse(with(["SLURM_ARRAY_TASK_MAX": "18446744073709551616"]), "20 digits")
        refuse(with(["SLURM_ARRAY_TASK_MAX": "999999999"]), "1 to 100000")
        refuse(with(["SLURM_ARRAY_TASK_ID": "4"]), "does not hold task 4")
        refuse(with(["SLURM_ARRAY_TASK_MIN": "2"]), "not in the array")
        refuse(with(["SLURM_ARRAY_TASK_MIN": nil]), "SLURM_ARRAY_TASK_MIN is not")
        refuse(with(["SLURM_ARRAY_TASK_MAX": nil]), "count of shards is unknown")
        refuse(with(["SLURM_ARRAY_TASK_COUNT": "2"]), "not a whole range")
        refuse(base, count: 5, "has 4 tasks, not 5")
        refuse(with(["JOB_COMPLETION_INDEX": "1"]), "both")
        refuse([:], "neither")
    }

    func testAutoAndAutoWithACount() throws {
        XCTAssertEqual(try SchedulerShard.count(inAuto: "auto"), .some(nil))
        XCTAssertEqual(try SchedulerShard.count(inAuto: "auto/4"), .some(4))
        XCTAssertEqual(try SchedulerShard.count(inAuto: "1/4"), nil)
        XCTAssertThrowsError(try SchedulerShard.count(inAuto: "auto/0"))
        XCTAssertThrowsError(try SchedulerShard.count(inAuto: "auto/-3"))
        XCTAssertThrowsError(try SchedulerShard.count(inAuto: "auto/"))
    }

    private func refuse(_ environment: [String: String], count: Int? = nil, _ reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try SchedulerShard.read(environment, count: count), line: line) { error in
            XCTAssertTrue("\(error)".contains(reason), "\(error)", line: line)
        }
    }
}
