import Datasets
import Engine
import Foundation
import LabDocument
import Report
import Sharding

/// A lab's challenge variants split over shards (`run --shard I/N`), and the shards' partial
/// results merged into the report a one-process run makes (`merge`). See ``PartialResult``.
///
/// ```swift
/// var parts: [PartialResult] = []
/// for i in 1...3 { parts.append(try LabRunner.runShard(file: path, shard: Shard(index: i, count: 3), options: options)) }
/// // write each, then, anywhere that sees the lab, the data and the cache:
/// let outcome = try LabRunner.merge(PartialSet.read(paths: files), options: options)
/// ```
extension LabRunner {
    /// Runs every step of the lab and the shard's share of its challenge variants. A step that
    /// fails is recorded in the partial's `failure`, as it would be in a report.
    public static func runShard(file path: String, shard: Shard, options: RunOptions) throws -> PartialResult {
        let lab = try checkedLab(file: path, overrides: options.overrides)
        let run = LabRun(lab: lab, options: options)
        run.variantPlan = .share(shard)
        let (_, failure) = run.execute(includeChallenges: true)
        return PartialResult(format: PartialResult.currentFormat, kind: PartialResult.kindName, lab: path,
                             labSourceSHA256: SHA256.hex(of: Array(lab.source.utf8)), seed: options.seed,
                             overrides: options.overrides.map { [$0.0, $0.1] }, quick: options.quick,
                             engine: Engine.version, blas: BLAS.configuration, shard: shard,
                             variantsInLab: run.variantsSeen, variants: run.variantRecords,
                             dataSHA256: run.memo.fileChecksums, failure: failure)
    }

    /// Runs the lab the partials were made from with their seed, parameters and mode, taking
    /// every challenge variant's outcome from its shard's record. `options` gives the cache and
    /// the progress stream; its mode, seed and parameters are the partials'. Throws
    /// ``ShardError`` when the lab file is not the text the shards ran, or a record does not fit
    /// the variant it is for; nothing is returned then.
    public static func merge(_ set: PartialSet, options: RunOptions, templates: ReportTemplates = .builtIn) throws -> Outcome {
        var options = options
        options.quick = set.first.quick
        options.seed = set.first.seed
        options.overrides = set.first.overrides.map { ($0[0], $0[1]) }
        let lab = try set.checkedLab()
        let run = LabRun(lab: lab, options: options)
        run.variantPlan = .recorded(set.records)
        let started = Date()
        let (cells, failure) = run.execute(includeChallenges: true)
        if let mismatch = run.mergeMismatch { throw ShardError("\(set.files[0]) and the other partials do not fit \(set.lab): \(mismatch)") }
        if failure == nil, run.variantsSeen != set.first.variantsInLab {
            throw ShardError("\(set.lab) has \(run.variantsSeen) challenge variants, but the partials count \(set.first.variantsInLab): the partials were made from another version of the lab")
        }
        for (file, digest) in set.partials.flatMap(\.dataSHA256) {
            if let own = run.memo.fileChecksums[file], own != digest {
                throw ShardError("the data file \(file) is not what the shards read (SHA-256 \(own.prefix(12))… here, \(digest.prefix(12))… in the partials)")
            }
            run.memo.fileChecksums[file] = digest
        }
        let note = (key: "merged from", value: "\(set.count) \(set.count == 1 ? "shard" : "shards") (swift-lab run --shard I/\(set.count)), variants from their partials")
        return try run.outcome(cells: cells, failure: failure, seconds: Date().timeIntervalSince(started), templates: templates, runNotes: [note])
    }
}
