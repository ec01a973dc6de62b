import Foundation
import XCTest

/// A run stopped by a signal says so in one sentence, exits 1, and leaves the previous report and
/// JSON as they were, with no temporary file beside them.
final class InterruptionTests: XCTestCase {
    func testATerminatedRunLeavesThePreviousPair() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-interrupt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "long", title: "Long", moreSteps: """
        ```swift-lab train
        data: tiny
        model: autoencoder
        encoder: [dense 1]
        latent: 1
        decoder: [dense 1]
        epochs: 100000000
        as: m
        ```
        """)
        let out = directory.appendingPathComponent("out")
        // The previous pair: the same lab stopped after one epoch.
        _ = try swiftLab.succeed(["run", "--no-cache", "--quick", "--out", out.path, lab.path])
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted().map { try Data(contentsOf: out.appendingPathComponent($0)) }

        let process = Process()
        process.executableURL = swiftLab.binary
        process.arguments = ["run", "--no-cache", "--out", out.path, lab.path]
        let errors = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until it trains (its log shows epochs), then stop it.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(try String(contentsOf: errors, encoding: .utf8)).contains("epoch 2/") { usleep(50_000) }
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "it exits rather than dying by the signal")
        XCTAssertEqual(process.terminationStatus, 1)
        let log = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertTrue(log.hasSuffix("\nswift-lab: interrupted; \(out.path)/long.html was not written, and any earlier one is unchanged\n"), String(log.suffix(300)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["long.html", "long.json"], "no temporary file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted().map { try Data(contentsOf: out.appendingPathComponent($0)) }, before)
    }
}
