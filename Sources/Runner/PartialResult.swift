import Foundation
import Sharding

/// What `swift-lab run LAB --shard I/N` writes: the outcome of each challenge variant of its
/// share, and everything that must be equal across shards for their outcomes to belong in one
/// report. `swift-lab merge` reads every shard's partial (see ``PartialSet``) and runs the lab
/// once more, taking each variant's outcome from its partial instead of running it.
///
/// Why the merge runs the lab again instead of storing the report's pieces: a report is made by
/// one code path, `LabRun`, and the merge goes through it too, so the merged report cannot drift
/// from a one-process run's, whatever a step prints. The steps outside challenges are the ones
/// every shard ran, so with the shared cache the merge reads their models and scores from it
/// (seconds); without the cache it computes them again, with the same numbers, because every
/// step is seeded. What the merge cannot compute cheaply, the variants, is all that a partial
/// carries, and the lab file's SHA-256, seed, parameters, mode and engine must match before any
/// of it is used.
///
/// ```swift
/// let partial = try LabRunner.runShard(file: "Labs/001.md", shard: Shard(parsing: "1/4"), options: options)
/// try PartialResult.write(.run(partial), to: "Output/001.shard-1-of-4.json")
/// ```
public struct PartialResult: Codable, Equatable, Sendable {
    /// The layout's version: a reader refuses newer ones.
    public static let currentFormat = 1
    /// The value of `kind`, so that a stray JSON file is not mistaken for a partial.
    static let kindName = "swift-lab partial run"

    public var format: Int
    public var kind: String
    /// As given to `run`, relative to where it ran: the merge reads the lab there again.
    public var lab: String
    /// SHA-256 of the lab's text (line endings normalised, before `--set`).
    public var labSourceSHA256: String
    /// `--seed`, when given (the lab's own seed otherwise).
    public var seed: Int?
    /// `--set` pairs in the order given.
    public var overrides: [[String]]
    public var quick: Bool
    public var engine: String
    /// OpenBLAS and the kernels it ran: other kernels round differently.
    public var blas: String
    public var shard: Shard
    /// The variants of every challenge of the lab, all shards together.
    public var variantsInLab: Int
    public var variants: [VariantRecord]
    /// SHA-256 of each data file this shard read, by path.
    public var dataSHA256: [String: String]
    /// The first failure of the lab's own steps, as `path:line:column: error: ...`.
    public var failure: String?

    enum CodingKeys: String, CodingKey {
        case format, kind, lab, seed, overrides, quick, engine, blas, shard, variants, failure
        case labSourceSHA256 = "lab_source_sha256", variantsInLab = "variants_in_lab", dataSHA256 = "data_sha256"
    }

    /// The JSON: keys sorted and pretty, so that a partial diffs as text.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// One challenge variant's outcome: the metric it measured or why it could not be measured.
public struct VariantRecord: Codable, Equatable, Sendable {
    /// Its place among all the lab's variants, from 0, in document order.
    public var index: Int
    /// The challenge step's line, the varied parameter and its value, so that a record cannot be
    /// applied to another variant than the one that made it.
    public var line: Int
    public var parameter: String
    public var value: String
    /// The metric; `measuredBits` is its IEEE bit pattern (hex), so that the merged report
    /// prints exactly the digits the one-process run would, whatever a JSON reader rounds.
    public var measured: Double?
    public var measuredBits: String?
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case index, line, parameter, value, measured, error
        case measuredBits = "measured_bits"
    }

    init(index: Int, line: Int, parameter: String, value: String, outcome: Result<Double, VariantFailure>) {
        self.index = index
        self.line = line
        self.parameter = parameter
        self.value = value
        switch outcome {
        case .success(let metric):
            measured = metric
            measuredBits = String(metric.bitPattern, radix: 16)
        case .failure(let failure):
            error = failure.message
        }
    }

    /// The outcome, or why the record is not one (an edited or damaged partial).
    func outcome() throws -> Result<Double, VariantFailure> {
        switch (measured, measuredBits, error) {
        case (let measured?, let bits?, nil):
            guard let pattern = UInt64(bits, radix: 16), bits.count <= 16 else { throw ShardError("measured_bits '\(bits.prefix(40))' is not a 64-bit hex pattern") }
            let metric = Double(bitPattern: pattern)
            guard metric.isFinite, metric == measured else { throw ShardError("measured \(measured) and measured_bits \(bits) disagree") }
            // Every metric a challenge measures is a fraction (`LabSchema`'s `measure`).
            guard (0...1).contains(metric) else { throw ShardError("measured \(measured) is not a fraction from 0 to 1, as every metric a challenge measures is") }
            return .success(metric)
        case (nil, nil, let error?):
            return .failure(VariantFailure(message: error))
        default:
            throw ShardError("it must have either measured and measured_bits, or error")
        }
    }
}

/// Why a challenge variant could not be measured, as the challenge's table says it.
struct VariantFailure: Error, Equatable {
    var message: String
}
