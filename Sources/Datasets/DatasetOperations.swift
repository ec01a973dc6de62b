import Randomness

/// The operations behind a lab's `load` and `split` steps. Every random choice draws from the
/// generator passed in, so the same seed gives the same datasets, sample for sample.
public enum DatasetOperations {
    /// Only the samples whose class is in `classes`.
    public static func keeping(_ data: Dataset, classes: [String]) throws -> Dataset {
        let labels = Set(try classes.map(data.classLabel))
        return try nonEmpty(data.filtered { labels.contains($0.label) }, "after keeping classes \(classes.joined(separator: ", "))")
    }

    /// Every sample except those of `classes`.
    public static func excluding(_ data: Dataset, classes: [String]) throws -> Dataset {
        let labels = Set(try classes.map(data.classLabel))
        return try nonEmpty(data.filtered { !labels.contains($0.label) }, "after excluding classes \(classes.joined(separator: ", "))")
    }

    /// At most `limit` samples, each class keeping its share (largest remainders get the rest),
    /// in their original order.
    public static func limited(_ data: Dataset, to limit: Int, rng: inout RandomGenerator) -> Dataset {
        guard limit < data.count else { return data }
        var chosen: [Int] = []
        for (_, indices) in stratifiedQuotas(data, total: limit) {
            var pool = indices.pool
            rng.shuffle(&pool)
            chosen += pool.prefix(indices.quota)
        }
        return data.subset(chosen.sorted())
    }

    /// The samples of `classes` become anomalies; the others stay normal.
    public static func holdingOut(_ data: Dataset, classes: [String]) throws -> Dataset {
        let labels = Set(try classes.map(data.classLabel))
        var result = data
        for i in result.samples.indices { result.samples[i].isAnomaly = labels.contains(result.samples[i].label) }
        guard result.anomalyCount > 0 else { throw DatasetError("\(data.name) has no samples of class \(classes.joined(separator: ", ")) to hold out") }
        guard result.anomalyCount < result.count else { throw DatasetError("holding out \(classes.joined(separator: ", ")) leaves no normal samples") }
        return result
    }

    /// `normal` (all flagged normal) followed by `anomalies` (all flagged anomalous), each
    /// anomaly transformed when `transform` is given.
    public static func injecting(normal: Dataset, anomalies: Dataset, transform: ImageTransform? = nil,
                                 rng: inout RandomGenerator) throws -> Dataset {
        var normalPart = normal
        for i in normalPart.samples.indices { normalPart.samples[i].isAnomaly = false }
        var anomalous = anomalies
        if let transform {
            anomalous = try transformed(anomalous, indices: Array(anomalous.samples.indices), kinds: [transform], rng: &rng)
        }
        for i in anomalous.samples.indices { anomalous.samples[i].isAnomaly = true }
        guard anomalous.count > 0 else { throw DatasetError("no anomalies to inject from \(anomalies.name)") }
        return try normalPart.appending(anomalous)
    }

    /// A `fraction` of the samples, chosen at random, each corrupted by one of `kinds` drawn at
    /// random and flagged as an anomaly.
    public static func contaminating(_ data: Dataset, fraction: Double, kinds: [ImageTransform], rng: inout RandomGenerator) throws -> Dataset {
        guard (0...1).contains(fraction) else { throw DatasetError("the contamination fraction must be between 0 and 1, got \(fraction)") }
        guard !kinds.isEmpty else { throw DatasetError("contamination needs at least one kind of corruption") }
        var order = Array(data.samples.indices)
        rng.shuffle(&order)
        let chosen = Array(order.prefix(Int((fraction * Double(data.count)).rounded()))).sorted()
        var result = try transformed(data, indices: chosen, kinds: kinds, rng: &rng)
        for i in chosen { result.samples[i].isAnomaly = true }
        return result
    }

    /// Partitions into parts with the given fractions (summing to 1), stratified by class when
    /// asked; each class's samples are shuffled, then dealt out by quota.
    public static func splitting(_ data: Dataset, fractions: [(name: String, fraction: Double)], stratify: Bool,
                                 rng: inout RandomGenerator) throws -> [(name: String, data: Dataset)] {
        let total = fractions.reduce(0) { $0 + $1.fraction }
        guard abs(total - 1) < 1e-9 else { throw DatasetError("split fractions add up to \(total), not 1") }
        let groups: [[Int]] = stratify
            ? Dictionary(grouping: data.samples.indices, by: { data.samples[$0].label }).sorted { $0.key < $1.key }.map(\.value)
            : [Array(data.samples.indices)]
        var parts = [[Int]](repeating: [], count: fractions.count)
        for group in groups {
            var pool = group
            rng.shuffle(&pool)
            var start = 0
            for (p, quota) in largestRemainder(fractions.map(\.fraction), total: pool.count).enumerated() {
                parts[p] += pool[start..<(start + quota)]
                start += quota
            }
        }
        return try zip(fractions, parts).map { part, indices in
            var subset = data.subset(indices.sorted())
            subset.name = part.name
            return (part.name, try nonEmpty(subset, "in split part '\(part.name)'"))
        }
    }

    // MARK: - Helpers

    private static func nonEmpty(_ data: Dataset, _ context: String) throws -> Dataset {
        guard data.count > 0 else { throw DatasetError("\(data.name) has no samples left \(context)") }
        return data
    }

    /// Copies of the samples at `indices`, each corrupted by a kind drawn from `kinds`, stored
    /// in a new store; other samples are untouched.
    static func transformed(_ data: Dataset, indices: [Int], kinds: [ImageTransform], rng: inout RandomGenerator) throws -> Dataset {
        guard data.shape.count == 3, data.shape.allSatisfy({ $0 > 0 }) else {
            throw DatasetError("\(data.name) holds rows of \(data.sampleSize) features, not images; \(kinds.map(\.description).joined(separator: ", ")) applies to images only")
        }
        if kinds.contains(.transpose), data.shape[0] != data.shape[1] {
            throw DatasetError("transpose needs square images; \(data.name)'s are \(data.shape[0])x\(data.shape[1])")
        }
        var result = data
        var values: [Float] = []
        values.reserveCapacity(indices.count * data.sampleSize)
        var applied: [String] = []
        for i in indices {
            let kind = kinds.count == 1 ? kinds[0] : kinds[rng.index(below: kinds.count)]
            values += kind.apply(data.values(of: i), shape: data.shape, rng: &rng)
            applied.append(kind.description)
        }
        let store = result.addStore(SampleStore(shape: data.shape, values: values))
        for (position, i) in indices.enumerated() {
            result.samples[i].store = store
            result.samples[i].index = position
            result.samples[i].transform = applied[position]
        }
        return result
    }

    /// Each class's quota of `total`, by largest remainders, with its sample indices.
    private static func stratifiedQuotas(_ data: Dataset, total: Int) -> [(Int, (pool: [Int], quota: Int))] {
        let groups = Dictionary(grouping: data.samples.indices, by: { data.samples[$0].label }).sorted { $0.key < $1.key }
        let quotas = largestRemainder(groups.map { Double($0.value.count) / Double(data.count) }, total: total)
        return zip(groups, quotas).map { ($0.key, ($0.value, $1)) }
    }

    /// Splits `total` into whole parts proportional to `shares`, by largest remainders (ties to
    /// the earlier part), so the parts add up to exactly `total`.
    static func largestRemainder(_ shares: [Double], total: Int) -> [Int] {
        let exact = shares.map { $0 * Double(total) }
        var parts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
        for i in order.prefix(total - parts.reduce(0, +)) { parts[i] += 1 }
        return parts
    }
}
