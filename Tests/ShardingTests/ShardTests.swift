import Sharding
import XCTest

/// `--shard I/N`: what it accepts, what it refuses with one sentence, and how it splits items.
final class ShardTests: XCTestCase {
    func testAShardIsTheIthOfN() throws {
        let shard = try Shard(parsing: "2/3")
        XCTAssertEqual(shard.index, 2)
        XCTAssertEqual(shard.count, 3)
        XCTAssertEqual((0..<8).filter(shard.contains(item:)), [1, 4, 7])
        XCTAssertEqual(shard.description, "2/3")
    }

    func testEveryItemBelongsToExactlyOneShardAndSharesDifferByOneAtMost() throws {
        for count in 1...7 {
            let shards = try (1...count).map { try Shard(index: $0, count: count) }
            for total in 0...20 {
                for item in 0..<total { XCTAssertEqual(shards.filter { $0.contains(item: item) }.count, 1) }
                let sizes = shards.map { $0.share(of: total) }
                XCTAssertEqual(sizes, shards.map { shard in (0..<total).filter(shard.contains(item:)).count }, "share(of:) counts what contains(item:) picks")
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1)
            }
        }
    }

    func testHostileShardsAreRefusedWithOneSentence() {
        let refused: [(String, String)] = [
            ("0/0", "at least 1"), ("0/2", "numbered from 1"), ("3/2", "does not exist"), ("-1/2", "not a number"),
            ("1/99999999999999999999", "20 digits"), ("1/100001", "1 to 100000"), ("1", "write I/N"), ("1/2/3", "write I/N"),
            ("/2", "not a number"), ("1/", "not a number"), (" 1/2", "not a number"), ("+1/2", "not a number"),
            ("1/2\u{1B}[2J", "not a number"), ("١/٢", "not a number"), ("0x1/2", "not a number"), ("", "write I/N"),
        ]
        for (text, reason) in refused {
            XCTAssertThrowsError(try Shard(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    func testADecodedShardIsCheckedAsAParsedOneIs() {
        XCTAssertThrowsError(try JSONDecoder().decode(Shard.self, from: Data(#"{"index": 5, "count": 4}"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(Shard.self, from: Data(#"{"index": 1, "count": -4}"#.utf8)))
        XCTAssertEqual(try JSONDecoder().decode(Shard.self, from: Data(#"{"index": 4, "count": 4}"#.utf8)), try Shard(index: 4, count: 4))
    }
}
