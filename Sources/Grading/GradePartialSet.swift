import Foundation
import Sharding

/// Every shard's partial of one `grade --shard` run, checked as untrusted input (one complete set
/// of the same rubric, reference, class, `--rerun` and engine; each report unchanged since its
/// shard graded it), and the gradebook they make.
///
/// ```swift
/// let set = try GradePartialSet.read(paths: ["g.shard-1-of-2.json", "g.shard-2-of-2.json"])
/// let book = try set.gradebook()      // the rows a one-process grade makes, re-run verdicts included
/// ```
public struct GradePartialSet {
    /// In shard order.
    public let files: [String]
    let partials: [GradePartial]

    public var first: GradePartial { partials[0] }

    public static func read(paths: [String]) throws -> GradePartialSet {
        try GradePartialSet(paths.map { path in (path, try decode(PartialFile.read(path), path: path)) })
    }

    static func decode(_ data: Data, path: String) throws -> GradePartial {
        func fail(_ reason: String) -> ShardError { ShardError("\(path): \(reason)") }
        let partial = try PartialFile.decode(GradePartial.self, from: data, path: path, kind: GradePartial.kindName,
                                             command: "swift-lab grade --shard", currentFormat: GradePartial.currentFormat)
        var seen = Set<Int>()
        for record in partial.records {
            guard partial.submissions.indices.contains(record.index) else { throw fail("it records submission \(record.index), but the class has \(partial.submissions.count)") }
            guard partial.shard.contains(item: record.index) else { throw fail("it records submission \(record.index), which is not shard \(partial.shard)'s") }
            guard seen.insert(record.index).inserted else { throw fail("it records submission \(record.index) twice") }
            guard record.rerun == nil || partial.rerun else { throw fail("it records a re-run verdict for submission \(record.index), but was not made with --rerun") }
        }
        guard seen.count == partial.shard.share(of: partial.submissions.count) else {
            throw fail("shard \(partial.shard) of \(partial.submissions.count) submissions must record \(partial.shard.share(of: partial.submissions.count)), but it records \(seen.count)")
        }
        return partial
    }

    init(_ read: [(path: String, partial: GradePartial)]) throws {
        guard let (firstPath, first) = read.first else { throw ShardError("give the partial results to merge (the files grade --shard wrote)") }
        for (path, partial) in read.dropFirst() {
            let differs: String?
            if partial.rubric != first.rubric || partial.rubricSHA256 != first.rubricSHA256 { differs = "the rubric differs" }
            else if partial.reference != first.reference || partial.referenceSHA256 != first.referenceSHA256 { differs = "the reference report differs" }
            else if partial.submissions != first.submissions { differs = "the submissions are not the same list in the same order" }
            else if partial.rerun != first.rerun { differs = "one was made with --rerun, the other without" }
            else if partial.engine != first.engine { differs = "the engine is \(partial.engine.prefix(40)) in the first and \(first.engine.prefix(40)) in the second" }
            else if partial.shard.count != first.shard.count { differs = "the first is a shard of \(partial.shard.count), the second of \(first.shard.count)" }
            else { differs = nil }
            if let differs { throw ShardError("\(path) and \(firstPath) are not shards of the same grading: \(differs)") }
        }
        try Shard.checkEachGivenOnce(read.map { ($0.path, $0.partial.shard) })
        let ordered = read.sorted { $0.partial.shard.index < $1.partial.shard.index }
        files = ordered.map(\.path)
        partials = ordered.map(\.partial)
    }

    /// The class graded again against the rubric and reference, which must be the files the
    /// shards read, with each re-run verdict from its shard; throws if a report changed since.
    public func gradebook() throws -> Gradebook {
        guard GradePartial.sha256(of: first.rubric) == first.rubricSHA256 else { throw ShardError("\(first.rubric) is not the rubric the shards read (its SHA-256 differs)") }
        guard GradePartial.sha256(of: first.reference) == first.referenceSHA256 else { throw ShardError("\(first.reference) is not the reference the shards read (its SHA-256 differs)") }
        let records = Dictionary(uniqueKeysWithValues: partials.flatMap(\.records).map { ($0.index, $0) })
        for (index, path) in first.submissions.enumerated() where GradePartial.sha256(of: path) != records[index]?.reportSHA256 {
            throw ShardError("\(path) changed since its shard graded it (its SHA-256 differs): grade that shard again")
        }
        let reference = try ReportReader.read(path: first.reference)
        let rubric = try RubricReader.read(path: first.rubric)
        try RubricReader.check(rubric, against: reference)
        var book = Gradebook(rubric: rubric, reference: reference, submissions: first.submissions)
        if first.rerun {
            for index in book.rows.indices where book.rows[index].status != .unreadable {
                guard let verdict = records[index]?.rerun else {
                    throw ShardError("\(first.submissions[index]) has no re-run verdict in its shard's partial")
                }
                book.rows[index].rerun = verdict
            }
        }
        return book
    }
}
