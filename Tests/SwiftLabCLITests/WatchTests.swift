import Foundation
import XCTest

/// `run --watch` runs the lab again each time it is saved, keeps watching after a save that
/// breaks it, and stops on Ctrl-C with exit status 0.
final class WatchTests: XCTestCase {
    func testASaveRunsTheLabAgainAndCtrlCStops() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-watch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "watched", title: "First title")
        let report = directory.appendingPathComponent("watched.html"), log = directory.appendingPathComponent("log")
        let process = try swiftLab.start(["run", "--watch", "--no-cache", "--out", directory.path, lab.path], log: log)
        defer { if process.isRunning { process.terminate() } }

        func waitFor(_ what: String, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(60)
            while !condition() {
                guard Date() < deadline, process.isRunning else {
                    throw SwiftLabProcess.Failure("no \(what); log:\n\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
                }
                usleep(100_000)
            }
        }
        func reportSays(_ text: String) -> Bool { (try? String(contentsOf: report, encoding: .utf8))?.contains(text) == true }
        func logCount(_ text: String) -> Int { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").components(separatedBy: text).count - 1 }

        try waitFor("first report") { reportSays("First title") && logCount("for changes; Ctrl-C stops") == 1 }
        // A save that breaks the lab: the error is printed and the watch goes on.
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "as: tiny", with: "as: tiny\nbogus: 1")
            .write(to: lab, atomically: true, encoding: .utf8)
        try waitFor("error on the broken save") { logCount("unknown key 'bogus'") == 1 && logCount("for changes; Ctrl-C stops") == 2 }
        // Saved by renaming a new file over the old one, as many editors do.
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "\nbogus: 1", with: "").replacingOccurrences(of: "First title", with: "Second title")
            .write(to: lab, atomically: true, encoding: .utf8)
        try waitFor("second report") { reportSays("Second title") && logCount("for changes; Ctrl-C stops") == 3 }

        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(try String(contentsOf: log, encoding: .utf8).hasSuffix("swift-lab: stopped watching\n"))
    }
}
