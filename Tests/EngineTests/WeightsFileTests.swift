import Foundation
import XCTest
@testable import Engine

final class WeightsFileTests: XCTestCase {
    func testCRC32KnownValue() {
        XCTAssertEqual(CRC32.checksum(Data("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum(Data()), 0)
    }

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testRoundTrip() throws {
        let url = directory.appendingPathComponent("model.weights")
        let saved = try Model(ReferenceArchitectures.convAE, seed: 1)
        try WeightsFile.save(saved, to: url)
        let loaded = try Model(ReferenceArchitectures.convAE, seed: 2)
        XCTAssertNotEqual(loaded.parameters[0].value.array, saved.parameters[0].value.array)
        try WeightsFile.load(url, into: loaded)
        XCTAssertEqual(loaded.parameters.map(\.value.array), saved.parameters.map(\.value.array))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.weights"], "no temporary file left behind")
    }

    func testDamagedFilesAreClearErrorsAndLeaveTheModelAlone() throws {
        let url = directory.appendingPathComponent("model.weights")
        try WeightsFile.save(try Model(ReferenceArchitectures.denseAE, seed: 1), to: url)
        let original = try Data(contentsOf: url)
        let model = try Model(ReferenceArchitectures.denseAE, seed: 9)
        let before = model.parameters.map(\.value.array)

        func expectFailure(_ data: Data, _ message: String, line: UInt = #line) throws {
            try data.write(to: url)
            XCTAssertThrowsError(try WeightsFile.load(url, into: model), line: line) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(message)", line: line)
            }
            XCTAssertEqual(model.parameters.map(\.value.array), before, line: line)
        }
        try expectFailure(original.prefix(original.count / 2), "the file is truncated")
        var flipped = original
        flipped[original.count - 100] ^= 0x40
        try expectFailure(flipped, "checksum mismatch: the file is damaged")
        try expectFailure(Data("hello".utf8), "not a swift-lab weights file")
        var newer = original
        newer[8] = 2
        try expectFailure(newer, "weights format version 2; this swift-lab reads version 1")
        try expectFailure(original + Data([0]), "the file has trailing bytes")

        try WeightsFile.save(try Model(ReferenceArchitectures.convAE, seed: 1), to: url)
        XCTAssertThrowsError(try WeightsFile.load(url, into: model)) {
            XCTAssertEqual("\($0)", "\(url.path): the weights were saved for a different architecture")
        }
    }
}
