import Foundation
import XCTest
@testable import LabDocument

/// A lab must be a regular file: a FIFO or a directory named as a lab is one error, at once
/// (opening a FIFO for reading would wait for a writer forever).
final class LabFileKindTests: XCTestCase {
    private var directory: URL!
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testAFIFOIsOneErrorWithoutWaiting() throws {
        let fifo = directory.appendingPathComponent("lab.md").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let parsed = within(seconds: 10, unblocking: fifo) { LabParser.parse(file: fifo).diagnostics.map(\.description) }
        XCTAssertEqual(parsed, ["\(fifo): error: not a regular file (a FIFO)"])
        // `check` finds it in a directory too.
        let checked = within(seconds: 10, unblocking: fifo) { [directory] in
            (try? LabChecker.check(paths: [directory!.path]))?.diagnostics.map(\.description) ?? ["no report"]
        }
        XCTAssertEqual(checked, ["\(fifo): error: not a regular file (a FIFO)"])
    }

    func testADirectoryIsOneError() throws {
        let lab = directory.appendingPathComponent("lab.md").path
        try FileManager.default.createDirectory(atPath: lab, withIntermediateDirectories: false)
        XCTAssertEqual(LabParser.parse(file: lab).diagnostics.map(\.description), ["\(lab): error: is a directory"])
    }

    /// Runs `body` on another thread; should that block on the FIFO at `fifo`, opens it for
    /// writing so the reader sees its end, and fails instead of hanging.
    private func within(seconds: Double, unblocking fifo: String, _ body: @escaping () -> [String]) -> [String] {
        final class Outcome: @unchecked Sendable { var diagnostics: [String] = [] }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.diagnostics = body()
            done.signal()
        }.start()
        if done.wait(timeout: .now() + seconds) == .timedOut {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + seconds)
            XCTFail("still reading \(fifo) after \(Int(seconds)) s")
        }
        return outcome.diagnostics
    }
}
