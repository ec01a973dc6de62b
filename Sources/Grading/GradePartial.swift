import Datasets
import Foundation
import Sharding

/// What `swift-lab grade ... --shard I/N` writes: for its share of the submissions (the k-th
/// submission, from 0, is shard k mod N + 1's), each report's SHA-256 and, with `--rerun`, the
/// verdict of running its lab again. `swift-lab merge` grades the whole class again from the
/// same rubric, reference and reports, with each re-run verdict from its partial.
///
/// Why only the verdicts travel: re-running a lab is the one costly part of grading (minutes per
/// submission); reading a report and marking it against the rubric takes milliseconds, so the
/// merge does that itself, through the same `Gradebook` code as a one-process `grade`, and the
/// gradebook cannot differ from one. The SHA-256s make sure a verdict is applied only to the very
/// report it was made for.
///
/// ```swift
/// let partial = GradePartial(rubric: "rubric.yml", reference: "ref.html", submissions: files, rerun: true,
///                            shard: try Shard(parsing: "2/8")) { path in SubmissionRerun.verdict(reportPath: path) }
/// try PartialFile.write(try partial.encoded(), to: "grades.shard-2-of-8.json")
/// ```
public struct GradePartial: Codable, Equatable, Sendable {
    public static let currentFormat = 1
    public static let kindName = "swift-lab partial grade"

    public var format: Int
    public var kind: String
    public var rubric: String
    public var rubricSHA256: String
    public var reference: String
    public var referenceSHA256: String
    /// The whole class, in the order given: every shard must be given the same list.
    public var submissions: [String]
    public var rerun: Bool
    /// The engine that re-ran the labs: another rounds otherwise.
    public var engine: String
    public var shard: Shard
    public var records: [Record]

    public struct Record: Codable, Equatable, Sendable {
        public var index: Int
        /// The report's SHA-256 when graded; nil when it could not be read then.
        public var reportSHA256: String?
        public var rerun: RerunCheck.Verdict?

        enum CodingKeys: String, CodingKey {
            case index, rerun
            case reportSHA256 = "report_sha256"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, kind, rubric, reference, submissions, rerun, engine, shard, records
        case rubricSHA256 = "rubric_sha256", referenceSHA256 = "reference_sha256"
    }

    /// Reads the shard's submissions, running `verdict` on each readable one when `rerun`.
    public init(rubric: String, reference: String, submissions: [String], rerun: Bool, engine: String, shard: Shard,
                verdict: (String) -> RerunCheck.Verdict) {
        format = Self.currentFormat
        kind = Self.kindName
        self.rubric = rubric
        rubricSHA256 = Self.sha256(of: rubric) ?? ""
        self.reference = reference
        referenceSHA256 = Self.sha256(of: reference) ?? ""
        self.submissions = submissions
        self.rerun = rerun
        self.engine = engine
        self.shard = shard
        records = submissions.indices.filter(shard.contains(item:)).map { index in
            let digest = Self.sha256(of: submissions[index])
            let readable = (try? ReportReader.read(path: submissions[index])) != nil
            return Record(index: index, reportSHA256: digest, rerun: rerun && readable ? verdict(submissions[index]) : nil)
        }
    }

    /// The JSON: keys sorted and pretty.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// SHA-256 of a regular file of at most a report's size, or nil.
    static func sha256(of path: String) -> String? {
        guard RegularFile.problem(at: path) == nil, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: ReportReader.maximumBytes + 1), data.count <= ReportReader.maximumBytes else { return nil }
        return SHA256.hex(of: [UInt8](data))
    }
}
