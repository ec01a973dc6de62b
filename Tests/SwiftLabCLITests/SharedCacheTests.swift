import Foundation
import XCTest

/// Two runs sharing a cache train each model once: whichever misses an entry first computes it
/// while the other waits, then reads it from the cache, and both reports show the same training.
final class SharedCacheTests: XCTestCase {
    func testTwoConcurrentRunsTrainEachModelOnce() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-shared-cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Values spread over [0, 1) by two primes: enough variety for a model to train on.
        let rows = (0..<3000).map { (r: Int) -> String in
            let values = (0..<16).map { (c: Int) -> String in String(Double((r * 7919 + c * 104_729) % 1000) / 1000) }
            return values.joined(separator: ",") + (r % 2 == 0 ? ",a" : ",b")
        }
        try ((0..<16).map { "f\($0)" }.joined(separator: ",") + ",label\n" + rows.joined(separator: "\n") + "\n")
            .write(to: directory.appendingPathComponent("rows.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("shared.md")
        try """
        # Shared

        ```swift-lab load
        dataset: rows.csv
        as: rows
        ```

        ```swift-lab train
        model: autoencoder
        data: rows
        encoder: [dense 64 relu, dense 4 relu]
        latent: 4
        decoder: [dense 64 relu, dense 16 sigmoid]
        batch: 8
        epochs: 150
        as: m
        ```

        ```swift-lab train
        model: autoencoder
        data: rows
        encoder: [dense 32 relu, dense 2 relu]
        latent: 2
        decoder: [dense 32 relu, dense 16 sigmoid]
        batch: 8
        epochs: 60
        as: n
        ```
        """.write(to: lab, atomically: false, encoding: .utf8)
        let cache = directory.appendingPathComponent("cache").path

        func start(_ name: String) throws -> (Process, URL) {
            let log = directory.appendingPathComponent("\(name).log")
            return (try swiftLab.start(["run", "--cache", cache, "--out", directory.appendingPathComponent(name).path, lab.path], log: log), log)
        }
        let (first, firstLog) = try start("first")
        // The second starts once the first is training, so that it finds the entry being made.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(try String(contentsOf: firstLog, encoding: .utf8)).contains("epoch 1/150") { usleep(20_000) }
        let (second, secondLog) = try start("second")
        first.waitUntilExit()
        second.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(second.terminationStatus, 0)

        let logs = try [firstLog, secondLog].map { try String(contentsOf: $0, encoding: .utf8) }
        XCTAssertTrue(logs[0].contains("epoch 150/150"), "the first run trained 'm'")
        XCTAssertFalse(logs[1].contains("epoch 1/150"), "the second did not train 'm': \(logs[1])")
        XCTAssertTrue(logs[1].contains("waiting for another run that is computing model 'm'"), logs[1])
        XCTAssertTrue(logs[1].contains("model 'm' from the cache"), logs[1])
        // 'n' goes to whichever run asks for it first; the other waits and reads it.
        func trainings(_ log: String, epochs: Int) -> Int { log.components(separatedBy: "epoch 1/\(epochs):").count - 1 }
        XCTAssertEqual(trainings(logs[0], epochs: 60) + trainings(logs[1], epochs: 60), 1, "'n' trained once in all: \(logs)")
        XCTAssertEqual(logs.filter { $0.contains("model 'n' from the cache") }.count, 1, "and read once: \(logs)")
        let reports = try ["first", "second"].map {
            SwiftLabProcess.reportOutsideRunSection(try String(contentsOf: directory.appendingPathComponent("\($0)/shared.html"), encoding: .utf8))
        }
        XCTAssertEqual(reports[0], reports[1], "the same training in both reports")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache + "/locks"), [], "a stored entry's lock goes with it")
    }
}
