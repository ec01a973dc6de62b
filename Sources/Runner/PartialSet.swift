import Datasets
import Foundation
import LabDocument
import Sharding

/// Every shard's partial result of one run, checked as untrusted input before a merge uses any of
/// it: each file whole and of a format this version reads, all of the same lab text, seed,
/// parameters, mode, engine and BLAS kernels, and each shard from 1 to N exactly once with the
/// records of exactly its own variants. The first problem found is thrown as one sentence that
/// names the file.
///
/// ```swift
/// let set = try PartialSet.read(paths: ["a/lab.shard-1-of-2.json", "b/lab.shard-2-of-2.json"])
/// let outcome = try LabRunner.merge(set, options: RunOptions(cacheDirectory: ".swift-lab/cache"))
/// ```
public struct PartialSet {
    /// In shard order.
    public let files: [String]
    let partials: [PartialResult]

    /// Far more variants than any lab sweeps; bounds what a partial may claim before it sizes anything.
    static let maximumVariants = 1_000_000

    public var lab: String { partials[0].lab }
    public var count: Int { partials[0].shard.count }
    var first: PartialResult { partials[0] }

    /// Every variant's record, by number.
    var records: [Int: VariantRecord] {
        Dictionary(uniqueKeysWithValues: partials.flatMap(\.variants).map { ($0.index, $0) })
    }

    /// The lab the partials were made from, parsed and checked, which must be the very text they
    /// ran. A merge calls this first; call it before anything is written, too.
    @discardableResult
    public func checkedLab() throws -> Lab {
        guard FileManager.default.fileExists(atPath: lab) else {
            throw ShardError("the partials are of the lab \(lab), which is not there: run merge in the directory the shards ran in (the lab's path is as they were given it)")
        }
        let overrides = first.overrides.map { ($0[0], $0[1]) }
        let parsed = try LabRunner.checkedLab(file: lab, overrides: overrides)
        guard SHA256.hex(of: Array(parsed.source.utf8)) == first.labSourceSHA256 else {
            throw ShardError("\(lab) is not the text the shards ran (its SHA-256 differs from the partials'): run the shards again")
        }
        return parsed
    }

    public static func read(paths: [String]) throws -> PartialSet {
        try PartialSet(paths.map { path in (path, try decode(PartialFile.read(path), path: path)) })
    }

    /// The partial in `data`, from the file `path`, checked on its own.
    static func decode(_ data: Data, path: String) throws -> PartialResult {
        func fail(_ reason: String) -> ShardError { ShardError("\(path): \(reason)") }
        let partial = try PartialFile.decode(PartialResult.self, from: data, path: path, kind: PartialResult.kindName,
                                             command: "swift-lab run --shard", currentFormat: PartialResult.currentFormat)
        try check(partial, fail: fail)
        return partial
    }

    static func check(_ partial: PartialResult, fail: (String) -> ShardError) throws {
        guard !partial.lab.isEmpty else { throw fail("it names no lab") }
        guard partial.labSourceSHA256.count == 64, partial.labSourceSHA256.allSatisfy(\.isHexDigit) else { throw fail("its lab_source_sha256 is not a SHA-256") }
        guard partial.overrides.allSatisfy({ $0.count == 2 }) else { throw fail("its overrides are not name and value pairs") }
        guard (0...maximumVariants).contains(partial.variantsInLab) else {
            throw fail("it claims \(partial.variantsInLab) variants in the lab (at most \(maximumVariants))")
        }
        let shard = partial.shard
        var seen = Set<Int>()
        for record in partial.variants {
            guard (0..<partial.variantsInLab).contains(record.index) else {
                throw fail("it records variant \(record.index), but the lab has \(partial.variantsInLab) (numbered from 0)")
            }
            guard shard.contains(item: record.index) else { throw fail("it records variant \(record.index), which is not shard \(shard)'s") }
            guard seen.insert(record.index).inserted else { throw fail("it records variant \(record.index) twice") }
            guard record.line >= 1 else { throw fail("variant \(record.index) names line \(record.line)") }
            do { _ = try record.outcome() } catch { throw fail("variant \(record.index): \(error)") }
        }
        let expected = shard.share(of: partial.variantsInLab)
        guard seen.count == expected || partial.failure != nil else {
            throw fail("shard \(shard) of a lab with \(partial.variantsInLab) variants must record \(expected), but it records \(seen.count)")
        }
    }

    init(_ read: [(path: String, partial: PartialResult)]) throws {
        guard let (firstPath, first) = read.first else { throw ShardError("give the partial results to merge (the files run --shard wrote)") }
        for (path, partial) in read.dropFirst() {
            if let difference = Self.difference(partial, first) {
                throw ShardError("\(path) and \(firstPath) are not shards of the same run: \(difference)")
            }
        }
        try Shard.checkEachGivenOnce(read.map { ($0.path, $0.partial.shard) })
        let ordered = read.sorted { $0.partial.shard.index < $1.partial.shard.index }
        var checksums: [String: (String, String)] = [:]
        for (path, partial) in ordered {
            for (file, digest) in partial.dataSHA256 {
                if let (earlier, earlierPath) = checksums[file], earlier != digest {
                    throw ShardError("\(path) and \(earlierPath) read different contents of the data file \(file) (SHA-256 \(digest.prefix(12))… and \(earlier.prefix(12))…)")
                }
                checksums[file] = (digest, path)
            }
        }
        files = ordered.map(\.path)
        partials = ordered.map(\.partial)
    }

    /// What two partials disagree on that makes them parts of different runs, or nil; said of
    /// `a` first ("the first"), then `b`.
    static func difference(_ a: PartialResult, _ b: PartialResult) -> String? {
        func differ(_ what: String, _ x: String, _ y: String) -> String { "\(what) is \(x.prefix(200)) in the first and \(y.prefix(200)) in the second" }
        if a.lab != b.lab { return differ("the lab", a.lab, b.lab) }
        if a.labSourceSHA256 != b.labSourceSHA256 { return "the lab's text differs (SHA-256 \(a.labSourceSHA256.prefix(12))… and \(b.labSourceSHA256.prefix(12))…)" }
        if a.seed != b.seed { return differ("--seed", a.seed.map(String.init) ?? "not given", b.seed.map(String.init) ?? "not given") }
        if a.overrides != b.overrides {
            func text(_ pairs: [[String]]) -> String { pairs.isEmpty ? "none" : pairs.map { $0.joined(separator: "=") }.joined(separator: " ") }
            return differ("--set", text(a.overrides), text(b.overrides))
        }
        if a.quick != b.quick { return differ("--quick", a.quick ? "on" : "off", b.quick ? "on" : "off") }
        if a.engine != b.engine { return differ("the swift-lab engine", a.engine, b.engine) }
        if a.blas != b.blas {
            return differ("BLAS", a.blas, b.blas) + "; other kernels round differently: set OPENBLAS_CORETYPE alike on every node"
        }
        if a.shard.count != b.shard.count { return "the first is a shard of \(a.shard.count), the second of \(b.shard.count)" }
        if a.variantsInLab != b.variantsInLab { return "the first counts \(a.variantsInLab) challenge variants, the second \(b.variantsInLab)" }
        return nil
    }
}
