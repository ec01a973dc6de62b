/// `--shard auto`: which shard this process is, read from the environment a scheduler gives each
/// task of an array, every value checked before it is believed.
///
/// - Slurm array (`sbatch --array=A-B`): `SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_MIN`, and
///   `SLURM_ARRAY_TASK_MAX` or `SLURM_ARRAY_TASK_COUNT` (`SLURM_ARRAY_TASK_STEP` when the range
///   has one, as in `--array=0-30:10`). The ids must be the whole range: an array of listed ids
///   (`--array=1,5,9`) is refused, since its count and its range disagree.
/// - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (from 0), with the Job's `completions` given
///   as `--shard auto/N`, because the Job does not put its count in the environment.
///
/// ```swift
/// let found = try SchedulerShard.read(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1",
///                                       "SLURM_ARRAY_TASK_MAX": "4"], count: nil)
/// found.shard           // 3/4
/// found.explanation     // "--shard auto: Slurm array task: SLURM_ARRAY_TASK_ID=3, ... → shard 3/4"
/// ```
public enum SchedulerShard {
    public struct Found: Sendable {
        public var shard: Shard
        /// What was read and what it made, for stderr.
        public var explanation: String
    }

    /// `auto` or `auto/N`: nil for anything else (an explicit `I/N`).
    public static func count(inAuto text: String) throws -> Int?? {
        if text == "auto" { return .some(nil) }
        guard text.hasPrefix("auto/") else { return nil }
        let count = try Shard.number(String(text.dropFirst(5)), what: "the count of shards in '\(text)'")
        guard (1...Shard.maximumCount).contains(count) else { throw ShardError("'\(text)': the count of shards must be 1 to \(Shard.maximumCount)") }
        return .some(count)
    }

    public static func read(_ environment: [String: String], count: Int?) throws -> Found {
        let slurm = environment["SLURM_ARRAY_TASK_ID"], kubernetes = environment["JOB_COMPLETION_INDEX"]
        switch (slurm, kubernetes) {
        case (nil, nil):
            throw ShardError("--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm array job) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard I/N")
        case (.some, .some):
            throw ShardError("--shard auto: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set, so which scheduler ran this is unclear; give --shard I/N")
        case (.some, nil):
            return try slurmArray(environment, count: count)
        case (nil, .some(let index)):
            return try indexedJob(index: index, count: count)
        }
    }

    private static func slurmArray(_ environment: [String: String], count given: Int?) throws -> Found {
        var read: [String] = []
        func value(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            read.append("\(name)=\(text.prefix(40))")
            return try Shard.number(text, what: "--shard auto: \(name)")
        }
        guard let id = try value("SLURM_ARRAY_TASK_ID") else { throw ShardError("--shard auto: SLURM_ARRAY_TASK_ID is not set") }
        guard let minimum = try value("SLURM_ARRAY_TASK_MIN") else {
            throw ShardError("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not, so the task's place in the array is unknown")
        }
        let maximum = try value("SLURM_ARRAY_TASK_MAX"), listed = try value("SLURM_ARRAY_TASK_COUNT")
        let step = try value("SLURM_ARRAY_TASK_STEP") ?? 1
        let said = read.joined(separator: ", ")
        guard step >= 1 else { throw ShardError("--shard auto: SLURM_ARRAY_TASK_STEP is 0 (\(said))") }
        guard id >= minimum, (id - minimum) % step == 0 else {
            throw ShardError("--shard auto: task \(id) is not in the array that starts at \(minimum) with step \(step) (\(said))")
        }
        let count: Int
        if let maximum {
            guard maximum >= id, (maximum - minimum) % step == 0 else {
                throw ShardError("--shard auto: the array's range \(minimum) to \(maximum) (step \(step)) does not hold task \(id) as its last or earlier (\(said))")
            }
            count = (maximum - minimum) / step + 1
            if let listed, listed != count {
                throw ShardError("--shard auto: the array's ids are not a whole range (\(minimum) to \(maximum) would be \(count) tasks, but there are \(listed)); submit it as --array=0-\(listed - 1) or give --shard I/N (\(said))")
            }
        } else if let listed {
            count = listed
        } else {
            throw ShardError("--shard auto: neither SLURM_ARRAY_TASK_MAX nor SLURM_ARRAY_TASK_COUNT is set, so the count of shards is unknown (\(said))")
        }
        if let given, given != count {
            throw ShardError("--shard auto/\(given): the Slurm array has \(count) tasks, not \(given) (\(said))")
        }
        let shard = try Shard(index: (id - minimum) / step + 1, count: count)
        return Found(shard: shard, explanation: "--shard auto: Slurm array task: \(said) → shard \(shard)")
    }

    private static func indexedJob(index text: String, count given: Int?) throws -> Found {
        let said = "JOB_COMPLETION_INDEX=\(text.prefix(40))"
        guard let count = given else {
            throw ShardError("--shard auto: \(said) (a Kubernetes Indexed Job) does not say how many completions the Job has; give them as --shard auto/N")
        }
        let index = try Shard.number(text, what: "--shard auto: JOB_COMPLETION_INDEX")
        guard index < count else {
            throw ShardError("--shard auto/\(count): \(said) is beyond the \(count) completions (indexes 0 to \(count - 1))")
        }
        let shard = try Shard(index: index + 1, count: count)
        return Found(shard: shard, explanation: "--shard auto/\(count): Kubernetes Indexed Job: \(said), \(count) completions → shard \(shard)")
    }
}
