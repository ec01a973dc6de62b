import Foundation
import XCTest

/// `check` and `run` given a FIFO or a directory, as the lab or as a data file it loads: one
/// clear error and a prompt exit, never a wait for a writer that will not come.
final class FileKindTests: XCTestCase {
    private var directory: URL!
    override func setUpWithError() throws { directory = try SwiftLabProcess.temporaryDirectory("swift-lab-kinds") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testAFIFOAsTheLabIsOneErrorForCheckAndRun() throws {
        let swiftLab = try SwiftLabProcess()
        let fifo = directory.appendingPathComponent("lab.md").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let checked = try run(swiftLab, ["check", fifo], unblocking: fifo)
        XCTAssertEqual(checked.status, 1)
        XCTAssertEqual(checked.stdout, "\(fifo): error: not a regular file (a FIFO)\n")
        let ran = try run(swiftLab, ["run", "--no-cache", "--out", directory.path, fifo], unblocking: fifo)
        XCTAssertEqual(ran.status, 1)
        XCTAssertEqual(ran.stderr, "\(fifo): error: not a regular file (a FIFO)\n")
    }

    func testAFIFOOrADirectoryAsADataFileIsOneErrorOfTheLoadStep() throws {
        let swiftLab = try SwiftLabProcess()
        let data = directory.appendingPathComponent("data/mnist")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let images = data.appendingPathComponent("t10k-images-idx3-ubyte.gz").path
        FileManager.default.createFile(atPath: data.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path, contents: Data())
        let lab = directory.appendingPathComponent("lab.md")
        try "# Kinds\n\n```swift-lab load\ndataset: mnist\nsplit: test\npath: \(data.path)\nas: digits\n```\n"
            .write(to: lab, atomically: false, encoding: .utf8)

        XCTAssertEqual(mkfifo(images, 0o600), 0)
        let fromFIFO = try run(swiftLab, ["run", "--no-cache", "--out", directory.path, lab.path], unblocking: images)
        XCTAssertEqual(fromFIFO.status, 1)
        XCTAssertTrue(fromFIFO.stderr.contains("\(lab.path):4:1: error: \(images): not a regular file (a FIFO)\n"), fromFIFO.stderr)

        try FileManager.default.removeItem(atPath: images)
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: false)
        let fromDirectory = try run(swiftLab, ["run", "--no-cache", "--out", directory.path, lab.path], unblocking: images)
        XCTAssertEqual(fromDirectory.status, 1)
        XCTAssertTrue(fromDirectory.stderr.contains("\(lab.path):4:1: error: \(images): is a directory\n"), fromDirectory.stderr)
    }

    /// Runs swift-lab; should it still be running after 30 s (blocked on the FIFO at `fifo`),
    /// opens the FIFO for writing so it sees the end, and fails instead of hanging.
    private func run(_ swiftLab: SwiftLabProcess, _ arguments: [String], unblocking fifo: String) throws -> SwiftLabProcess.Result {
        final class Box: @unchecked Sendable { var result: Result<SwiftLabProcess.Result, Error>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.result = Result { try swiftLab.run(arguments) }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 30) == .timedOut {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 30)
            XCTFail("swift-lab \(arguments.joined(separator: " ")) was still running after 30 s")
        }
        return try XCTUnwrap(box.result).get()
    }
}
