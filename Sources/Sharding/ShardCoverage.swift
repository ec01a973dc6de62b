extension Shard {
    /// Throws one `ShardError` unless `given` (each partial's file and shard, all of one count N)
    /// holds every shard from 1 to N exactly once: a shard given twice names both files, and
    /// missing shards are listed (the first ten) with the ones given.
    ///
    /// ```swift
    /// try Shard.checkEachGivenOnce([("a.json", try Shard(index: 1, count: 2)), ("b.json", try Shard(index: 2, count: 2))])
    /// ```
    public static func checkEachGivenOnce(_ given: [(path: String, shard: Shard)]) throws {
        guard let count = given.first?.shard.count else { return }
        var byShard: [Int: String] = [:]
        for (path, shard) in given {
            if let earlier = byShard[shard.index] { throw ShardError("shard \(shard) is given twice: \(earlier) and \(path)") }
            byShard[shard.index] = path
        }
        let missing = (1...count).filter { byShard[$0] == nil }
        guard missing.isEmpty else {
            let present = byShard.keys.sorted().map(String.init).joined(separator: ", ")
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? " and \(missing.count - 10) more" : "")
            throw ShardError("\(missing.count == 1 ? "shard" : "shards") \(list) of \(count) \(missing.count == 1 ? "is" : "are") missing (given: \(present)): a merge needs every shard's partial")
        }
    }
}
