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

        let errors = directory.appendingPathComponent("stderr")
        let process = try swiftLab.start(["run", "--no-cache", "--out", out.path, lab.path], log: errors)
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

    /// `run --jobs` stopped by a signal stops its workers, removes their temporary directory and
    /// says so in the same sentence.
    func testATerminatedJobsRunStopsItsWorkersAndRemovesTheirDirectory() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-interrupt-jobs")
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
        let errors = directory.appendingPathComponent("stderr")
        let process = try swiftLab.start(["run", "--no-cache", "--jobs", "2", "--out", out.path, lab.path], log: errors)
        // The workers' directory, from the parent's first line; then wait until a worker trains.
        var workers: String?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let log = try String(contentsOf: errors, encoding: .utf8)
            if workers == nil, let start = log.range(of: "(logs and partials in "), let end = log[start.upperBound...].firstIndex(of: ")") {
                workers = String(log[start.upperBound..<end])
            }
            // One worker trains; the other waits for its model (the shared cache's lock).
            if let workers, [1, 2].contains(where: { (try? String(contentsOfFile: workers + "/worker-\($0).log", encoding: .utf8))?.contains("epoch 2/") == true }) { break }
            usleep(50_000)
        }
        let folder = try XCTUnwrap(workers, "the parent names the workers' directory")
        XCTAssertLessThan(Date(), deadline, "a worker trained")
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 1)
        let log = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertTrue(log.hasSuffix("\nswift-lab: interrupted; \(out.path)/long.html was not written, and any earlier one is unchanged\n"), String(log.suffix(300)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "the workers' directory is removed")
        // No process is left that was given that directory (the workers' --out and --cache).
        let left = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: command, as: UTF8.self).contains(folder)
        }
        XCTAssertEqual(left, [], "every worker stopped")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [], [], "no report")
    }

    /// `SIGKILL`s at moments spread over a run's writing: each leaves a whole pair (both old or
    /// both new, which `diff` accepts), no temporary file, and never a truncated file. The one
    /// split a kill can make, between the two renames, leaves the new results under a temporary
    /// name, which the next run moves in (ReportTests covers that completion).
    func testKilledRunsLeaveAWholePair() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "kill", title: "Killed")
        let out = directory.appendingPathComponent("out")
        let results = out.appendingPathComponent("kill.json")
        _ = try swiftLab.succeed(["run", "--no-cache", "--seed", "1", "--out", out.path, lab.path])
        let oldResults = try Data(contentsOf: results)
        let started = Date()
        _ = try swiftLab.succeed(["run", "--no-cache", "--seed", "2", "--out", directory.appendingPathComponent("new").path, lab.path])
        let newResults = try Data(contentsOf: directory.appendingPathComponent("new/kill.json"))
        XCTAssertNotEqual(oldResults, newResults)
        let duration = Date().timeIntervalSince(started)

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let process = try swiftLab.start(["run", "--no-cache", "--seed", "2", "--out", out.path, lab.path])
            usleep(UInt32(duration * Double.random(in: 0.3...1.2, using: &generator) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            if names.count == 3, names[0].hasPrefix(".kill.json.") {
                // Killed between the renames: the new report is in place, its results beside it.
                XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(names[0])), newResults)
                continue
            }
            if names.count == 3, names[0].hasPrefix(".kill.html.") {
                // Killed after the new report was named and before its results were: the old pair
                // is whole, and the next run removes the report's temporary name.
                XCTAssertEqual(try Data(contentsOf: results), oldResults)
                try FileManager.default.removeItem(at: out.appendingPathComponent(names[0]))
                continue
            }
            XCTAssertEqual(names, ["kill.html", "kill.json"])
            XCTAssertTrue([oldResults, newResults].contains(try Data(contentsOf: results)))
            let pair = try swiftLab.run(["diff", results.path, results.path])
            XCTAssertEqual(pair.status, 0, "the report vouches for its results: \(pair.stderr)")
        }
    }

    /// A `SIGKILL` exactly between the two renames (strace delivers it at the second): the new
    /// report, the old results and the new results under a temporary name; the next run to the
    /// same place starts by completing the pair.
    func testAKillBetweenTheRenamesIsCompletedByTheNextRun() throws {
        let swiftLab = try SwiftLabProcess(), strace = try Self.strace()
        let (directory, lab, out, results) = try Self.labBesideItsReport("split")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try swiftLab.succeed(["run", "--no-cache", "--seed", "1", "--out", out.path, lab.path])
        let oldResults = try Data(contentsOf: results)

        try Self.run(lab, to: out, with: swiftLab, killedBy: strace, atCall: 2, of: "rename,renameat,renameat2")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        guard names.count == 3 else { return XCTFail("expected the split pair, found \(names)") }
        XCTAssertTrue(names[0].hasPrefix(".split.json.") && names[0].hasSuffix(".tmp"), "\(names)")
        XCTAssertEqual(try Data(contentsOf: results), oldResults)
        XCTAssertEqual(try swiftLab.run(["diff", results.path, results.path]).status, 2, "diff refuses the mismatched pair")
        let newResults = try Data(contentsOf: out.appendingPathComponent(names[0]))

        // The next run completes the pair before it starts, as a run that fails shows.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("again"), withIntermediateDirectories: true)
        try "# Broken\n\n```swift-lab load\n```\n".write(to: directory.appendingPathComponent("again/split.md"), atomically: false, encoding: .utf8)
        XCTAssertEqual(try swiftLab.run(["run", "--no-cache", "--out", out.path, directory.appendingPathComponent("again/split.md").path]).status, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["split.html", "split.json"])
        XCTAssertEqual(try Data(contentsOf: results), newResults)
        XCTAssertEqual(try swiftLab.run(["diff", results.path, results.path]).status, 0, "the completed pair is whole")
    }

    /// A `SIGKILL` at each of a run's first removals of a file (strace delivers it there) leaves
    /// the pair whole, and the next run finds nothing it would take for a killed writer's
    /// results: the checks before a run make no named file that a kill could leave behind.
    func testAKillWhileTheRunChecksItsReportLeavesNothing() throws {
        let swiftLab = try SwiftLabProcess(), strace = try Self.strace()
        let (directory, lab, out, results) = try Self.labBesideItsReport("probe")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("again"), withIntermediateDirectories: true)
        let broken = directory.appendingPathComponent("again/probe.md")
        try "# Broken\n\n```swift-lab load\n```\n".write(to: broken, atomically: false, encoding: .utf8)
        _ = try swiftLab.succeed(["run", "--no-cache", "--seed", "2", "--out", directory.appendingPathComponent("new").path, lab.path])
        let newResults = try Data(contentsOf: directory.appendingPathComponent("new/probe.json"))
        for removal in 1...3 {
            _ = try swiftLab.succeed(["run", "--no-cache", "--seed", "1", "--out", out.path, lab.path])
            let oldResults = try Data(contentsOf: results)
            try Self.run(lab, to: out, with: swiftLab, killedBy: strace, atCall: removal, of: "unlink,unlinkat")
            XCTAssertTrue([oldResults, newResults].contains(try Data(contentsOf: results)), "kill at removal \(removal)")
            // The next run (one that fails) finishes or removes what a killed writer left.
            XCTAssertEqual(try swiftLab.run(["run", "--no-cache", "--out", out.path, broken.path]).status, 1)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["probe.html", "probe.json"])
            XCTAssertEqual(try swiftLab.run(["diff", results.path, results.path]).status, 0, "the pair is whole after removal \(removal)")
        }
    }

    /// strace, which delivers a signal at an exact system call; the test is skipped without it.
    private static func strace() throws -> URL {
        guard let path = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("strace is not installed (make setup installs it)")
        }
        return URL(fileURLWithPath: path)
    }

    /// A new directory with a tiny lab `name`.md, and where its report and results go.
    private static func labBesideItsReport(_ name: String) throws -> (directory: URL, lab: URL, out: URL, results: URL) {
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-\(name)")
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: name, title: name.capitalized)
        let out = directory.appendingPathComponent("out")
        return (directory, lab, out, out.appendingPathComponent("\(name).json"))
    }

    /// Runs `lab` (seed 2) into `out` under strace, which kills it at the `call`th of `calls`.
    private static func run(_ lab: URL, to out: URL, with swiftLab: SwiftLabProcess, killedBy strace: URL, atCall call: Int, of calls: String) throws {
        let process = try swiftLab.start(["-f", "-o", "/dev/null", "-e", "trace=\(calls)", "-e", "inject=\(calls):signal=KILL:when=\(call)",
                                          swiftLab.binary.path, "run", "--no-cache", "--seed", "2", "--out", out.path, lab.path],
                                         program: strace)
        process.waitUntilExit()
    }
}
