/// One of N shares of a lab's challenge variants (or of a class's submissions): `I/N`, counted
/// from 1. Item `k` (counted from 0, in document order) belongs to share `k mod N + 1`, so the
/// shares differ in size by one item at most, and a variant's share does not depend on the
/// variants after it.
///
/// ```swift
/// let shard = try Shard(parsing: "2/3")   // the second of three
/// shard.contains(item: 4)                 // true: 4 mod 3 + 1 == 2
/// ```
public struct Shard: Equatable, Codable, CustomStringConvertible, Sendable {
    /// 1...count.
    public let index: Int
    public let count: Int

    /// Far more shares than any cluster runs, small enough that every count and index fits the
    /// integers they become and a `--jobs` run cannot be asked for a process per atom.
    public static let maximumCount = 100_000

    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ShardError("the count of shards must be 1 to \(Self.maximumCount), not \(count)")
        }
        guard (1...count).contains(index) else {
            throw ShardError("shard \(index) of \(count) does not exist: shards are numbered 1 to \(count)")
        }
        self.index = index
        self.count = count
    }

    /// `I/N` with both written as plain decimal digits.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ShardError("'\(text)' is not a shard: write I/N, such as 1/4 (the first of four)") }
        let index = try Self.number(String(parts[0]), what: "the shard's number in '\(text)'")
        let count = try Self.number(String(parts[1]), what: "the count of shards in '\(text)'")
        if count == 0 { throw ShardError("'\(text)': the count of shards must be at least 1") }
        if index == 0 { throw ShardError("'\(text)': shards are numbered from 1, so the first of \(count) is 1/\(count)") }
        try self.init(index: index, count: count)
    }

    /// Decoded from untrusted files: checked as ``init(index:count:)`` checks.
    public init(from decoder: Decoder) throws {
        struct Fields: Decodable { var index: Int; var count: Int }
        let fields = try Fields(from: decoder)
        do { try self.init(index: fields.index, count: fields.count) } catch let error as ShardError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Whether item `item` (from 0) is this shard's.
    public func contains(item: Int) -> Bool { item % count == index - 1 }

    /// How many of `total` items are this shard's.
    public func share(of total: Int) -> Int { total <= index - 1 ? 0 : (total - index) / count + 1 }

    public var description: String { "\(index)/\(count)" }

    /// A non-negative decimal number of at most nine digits: no sign, no spaces, nothing a
    /// scheduler or a script could smuggle in to mean something else.
    static func number(_ text: String, what: String) throws -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw ShardError("\(what) is '\(text)', not a number of digits 0-9")
        }
        guard text.utf8.count <= 9, let value = Int(text) else { throw ShardError("\(what) has \(text.utf8.count) digits, far beyond \(maximumCount)") }
        return value
    }
}

/// A shard that cannot be used, in one sentence.
public struct ShardError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
