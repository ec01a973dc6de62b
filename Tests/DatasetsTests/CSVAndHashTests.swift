import Foundation
import XCTest
@testable import Datasets

final class CSVAndHashTests: XCTestCase {
    private var directory: String!
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ text: String) throws -> String {
        let path = directory + "/houses.csv"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func testNumericCSVWithLabelAndScaling() throws {
        let path = try write("area,rooms,label\n50,2,cheap\n100,4,dear\n75,3,cheap\n")
        let raw = try CSVReader.load(path)
        XCTAssertEqual(raw.shape, [2])
        XCTAssertEqual(raw.samples.map(\.label), [0, 1, 0])
        XCTAssertEqual(raw.classNames, ["cheap", "dear"])
        XCTAssertEqual(raw.matrix(), [50, 2, 100, 4, 75, 3])
        XCTAssertEqual(try CSVReader.load(path, scaling: .minmax).matrix(), [0, 0, 1, 1, 0.5, 0.5])
        let z = try CSVReader.load(path, scaling: .zscore).matrix()
        XCTAssertEqual(z[0] + z[2] + z[4], 0, accuracy: 1e-6)
    }

    /// Numeric labels mean their value, whatever order they first appear in.
    func testNumericLabelsAreMatchedByValue() throws {
        let path = directory + "/flags.csv"
        try "x,label\n10,1\n20,0\n30,1\n40,0\n50,0\n".write(toFile: path, atomically: false, encoding: .utf8)
        let data = try CSVReader.load(path)
        let heldOut = try DatasetOperations.holdingOut(data, classes: ["1"])
        XCTAssertEqual(heldOut.samples.map(\.isAnomaly), [true, false, true, false, false])
        XCTAssertEqual(try DatasetOperations.keeping(data, classes: ["0"]).matrix(), [20, 40, 50])
    }

    func testCSVErrorsNameRowAndColumn() throws {
        let bad = try write("area,rooms,label\n50,2,a\n100,four,b\n")
        XCTAssertThrowsError(try CSVReader.load(bad)) { XCTAssertEqual("\($0)", "\(bad):3: column 2 ('rooms') is not a number: 'four'") }
        let ragged = try write("area,rooms,label\n50,2\n")
        XCTAssertThrowsError(try CSVReader.load(ragged)) { XCTAssertEqual("\($0)", "\(ragged):2: 2 cells, but the header has 3 columns") }
        let noLabel = try write("area,rooms\n50,2\n")
        XCTAssertThrowsError(try CSVReader.load(noLabel)) { XCTAssertEqual("\($0)", "\(noLabel): no column 'label' in the header (columns: area, rooms)") }
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(of: [UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var streamed = SHA256()
        for _ in 0..<1000 { streamed.update([UInt8](repeating: 0x61, count: 1000)) }
        XCTAssertEqual(streamed.finalize().map { String(format: "%02x", $0) }.joined(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSHA256OfAFileIsReadInChunksAndOnlyFromARegularFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Larger than one chunk, and not a multiple of it.
        let bytes = (0..<(3 << 20) + 5).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        FileManager.default.createFile(atPath: "\(directory)/data", contents: Data(bytes))
        XCTAssertEqual(SHA256.hex(ofFileAt: "\(directory)/data"), SHA256.hex(of: bytes))
        XCTAssertEqual(mkfifo("\(directory)/fifo", 0o600), 0)
        XCTAssertNil(SHA256.hex(ofFileAt: "\(directory)/fifo"))
        XCTAssertNil(SHA256.hex(ofFileAt: directory))
        XCTAssertNil(SHA256.hex(ofFileAt: "\(directory)/missing"))
    }

    func testSHA256OfPiecesOfAnySizeEqualsTheWhole() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        let whole = SHA256.hex(of: bytes)
        var pieces = SHA256(), start = 0, size = 1
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            pieces.update(bytes[start..<end])
            start = end
            size = size * 7 % 131 + 1   // 1, 8, 57, 6, 43, ...: pieces smaller and larger than a block
        }
        XCTAssertEqual(pieces.finalize().map { String(format: "%02x", $0) }.joined(), whole)
        // A collection without contiguous storage takes the copying path.
        XCTAssertEqual(SHA256.hex(of: "abc".utf8.lazy.map { $0 }), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
