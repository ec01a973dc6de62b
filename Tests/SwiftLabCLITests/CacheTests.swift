import Foundation
import Datasets
import XCTest

/// The on-disk cache of trained models and scores, through the CLI.
final class CacheTests: XCTestCase {
    private let lab = "Labs/004-conv-autoencoder-sevens.md"

    func testASecondRunReusesTheCacheAndGivesTheSameReport() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache").path
        func run(_ name: String, _ extra: [String] = []) throws -> (log: String, html: String) {
            let out = directory.appendingPathComponent(name).path
            let result = try swiftLab.succeed(["run", "--quick", "--cache", cache, "--out", out, lab] + extra)
            return (result.stderr, try String(contentsOfFile: out + "/004-conv-autoencoder-sevens.html", encoding: .utf8))
        }
        // What a killed writer left: an hour-old temporary goes, a fresh one (another run's) stays.
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let abandoned = cache + "/.abandoned.entry.1.tmp", fresh = cache + "/.fresh.entry.2.tmp"
        FileManager.default.createFile(atPath: abandoned, contents: Data(count: 10))
        FileManager.default.createFile(atPath: fresh, contents: Data(count: 10))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: abandoned)
        let first = try run("first")
        XCTAssertFalse(first.log.contains("from the cache"), first.log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh))
        try FileManager.default.removeItem(atPath: fresh)
        // Beside the entries, only the directory of per-key locks, empty once every entry is stored.
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0 != "locks" }
        XCTAssertTrue(entries.allSatisfy { $0.hasSuffix(".entry") }, "no temporary files: \(entries)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/locks"), [])
        XCTAssertGreaterThan(entries.count, 3)

        let second = try run("second")
        XCTAssertTrue(second.log.contains("model 'cae' from the cache"), second.log)
        XCTAssertTrue(second.log.contains("scores 'cae_error' from the cache"), second.log)
        XCTAssertFalse(second.log.contains("epoch 1/"), "no training: \(second.log)")
        XCTAssertEqual(SwiftLabProcess.reportOutsideRunSection(second.html), SwiftLabProcess.reportOutsideRunSection(first.html))
        XCTAssertTrue(second.html.contains("(cached)"), "the run section says the model came from the cache")

        // Damage every entry (the challenges' variants have theirs too): one loses its tail, the
        // others get a flipped byte. Each is detected, recomputed and written again, and the
        // report stays the same.
        var damaged: [String: Data] = [:]
        for (index, entry) in entries.sorted().enumerated() {
            let url = URL(fileURLWithPath: cache).appendingPathComponent(entry)
            var bytes = [UInt8](try Data(contentsOf: url))
            guard bytes.count > 100 else { throw SwiftLabProcess.Failure("\(entry) has only \(bytes.count) bytes") }
            if index == 0 { bytes.removeLast(100) } else { bytes[bytes.count / 2] ^= 0x10 }
            damaged[entry] = Data(bytes)
            try Data(bytes).write(to: url)
        }
        let third = try run("third")
        XCTAssertTrue(third.log.contains("the cache entry for model 'cae' is damaged"), third.log)
        XCTAssertTrue(third.log.contains("the cache entry for scores 'cae_error' is damaged"), third.log)
        XCTAssertTrue(third.log.contains("epoch 1/"), "the model was trained again")
        XCTAssertEqual(SwiftLabProcess.reportOutsideRunSection(third.html), SwiftLabProcess.reportOutsideRunSection(first.html))
        for entry in entries {
            let rewritten = try Data(contentsOf: URL(fileURLWithPath: cache).appendingPathComponent(entry))
            XCTAssertNotEqual(rewritten, damaged[entry], "\(entry) was written again")
        }
        let fourth = try run("fourth")
        XCTAssertFalse(fourth.log.contains("is damaged"), fourth.log)
        XCTAssertFalse(fourth.log.contains("epoch 1/"), fourth.log)

        // Entries of a format this swift-lab does not know are not damage: silently recomputed.
        for entry in entries {
            let url = URL(fileURLWithPath: cache).appendingPathComponent(entry)
            var bytes = [UInt8](try Data(contentsOf: url))
            bytes.replaceSubrange(8..<12, with: [99, 0, 0, 0])
            try Data(bytes).write(to: url)
        }
        let stale = try run("stale")
        XCTAssertFalse(stale.log.contains("is damaged"), stale.log)
        XCTAssertTrue(stale.log.contains("epoch 1/"), "the model was trained again")
        XCTAssertEqual(SwiftLabProcess.reportOutsideRunSection(stale.html), SwiftLabProcess.reportOutsideRunSection(first.html))

        // Two entries swapped on disk: each records the key it was written for, so neither is
        // used under the other's name; both are recomputed and the report stays the same.
        let sorted = entries.sorted()
        let (x, y) = (URL(fileURLWithPath: cache).appendingPathComponent(sorted[0]), URL(fileURLWithPath: cache).appendingPathComponent(sorted[1]))
        let (xBytes, yBytes) = (try Data(contentsOf: x), try Data(contentsOf: y))
        try yBytes.write(to: x)
        try xBytes.write(to: y)
        func recordedKey(_ url: URL) throws -> String {
            let bytes = [UInt8](try Data(contentsOf: url))
            guard bytes.count > 16 else { throw SwiftLabProcess.Failure("\(url.path) has only \(bytes.count) bytes") }
            let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
            guard 16 + length <= bytes.count else { throw SwiftLabProcess.Failure("\(url.path): a key of \(length) bytes overruns it") }
            return String(decoding: bytes[16..<(16 + length)], as: UTF8.self)
        }
        XCTAssertEqual(try recordedKey(x), y.deletingPathExtension().lastPathComponent, "swapped")
        let swapped = try run("swapped")
        XCTAssertEqual(SwiftLabProcess.reportOutsideRunSection(swapped.html), SwiftLabProcess.reportOutsideRunSection(first.html))
        // Each was found misfiled (challenge variants, whose entries these may be, report it quietly),
        // recomputed and written again under its own key.
        XCTAssertEqual(try recordedKey(x), x.deletingPathExtension().lastPathComponent)
        XCTAssertEqual(try recordedKey(y), y.deletingPathExtension().lastPathComponent)

        // Entries of format 2 (no key recorded) are not used: silently recomputed.
        for entry in entries {
            let url = URL(fileURLWithPath: cache).appendingPathComponent(entry)
            var bytes = [UInt8](try Data(contentsOf: url))
            bytes.replaceSubrange(8..<12, with: [2, 0, 0, 0])
            try Data(bytes).write(to: url)
        }
        let legacy = try run("legacy")
        XCTAssertFalse(legacy.log.contains("is damaged"), legacy.log)
        XCTAssertTrue(legacy.log.contains("epoch 1/"), "format-2 entries are recomputed: \(legacy.log)")
        XCTAssertEqual(SwiftLabProcess.reportOutsideRunSection(legacy.html), SwiftLabProcess.reportOutsideRunSection(first.html))

        // A changed hyper-parameter misses; --no-cache neither reads nor writes.
        let changed = try run("changed", ["--set", "epochs=1"])
        XCTAssertTrue(changed.log.contains("epoch 1/1"), changed.log)
        let before = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        let uncached = try run("uncached", ["--no-cache"])
        XCTAssertTrue(uncached.log.contains("epoch 1/"), uncached.log)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache).sorted(), before)
    }
}
