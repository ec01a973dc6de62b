import Foundation
import XCTest

/// Every lab in Labs/ run end to end with --quick by the release binary (`make test` builds it
/// and sets SWIFT_LAB_BINARY; a debug engine is ten times slower), then its report checked.
final class RunLabsTests: XCTestCase {
    func testEveryLabRunsQuickAndItsReportIsComplete() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        let out = try SwiftLabProcess.temporaryDirectory("swift-lab-e2e")
        defer { try? FileManager.default.removeItem(at: out) }
        let labs = try FileManager.default.contentsOfDirectory(atPath: SwiftLabProcess.root.appendingPathComponent("Labs").path).filter { $0.hasSuffix(".md") }.sorted()
        XCTAssertEqual(labs.count, 6)
        for lab in labs {
            let result = try swiftLab.run(["run", "--quick", "--no-cache", "--out", out.path, "Labs/\(lab)"])
            XCTAssertEqual(result.status, 0, "\(lab):\n\(result.stderr.suffix(2000))")
            let name = lab.replacingOccurrences(of: ".md", with: "")
            XCTAssertEqual(result.stdout, out.appendingPathComponent("\(name).html").path + "\n")
            let html = try String(contentsOf: out.appendingPathComponent("\(name).html"), encoding: .utf8)
            try checkReport(html, lab: lab)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("\(name).json"))) as? [String: Any]
            XCTAssertTrue(json?["failure"] is NSNull, lab)
            for result in json?["results"] as? [[String: Any]] ?? [] {
                for key in ["auc", "ap", "pr_auc", "f1", "precision", "recall", "accuracy"] {
                    if let value = result[key] as? Double { XCTAssertTrue((0...1).contains(value), "\(lab): \(key) = \(value)") }
                }
            }
        }
    }

    private func checkReport(_ html: String, lab: String) throws {
        XCTAssertNil(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression), "\(lab): no network URL")
        XCTAssertNil(html.range(of: #"class="step step-[a-z]+ status-(failed|notrun)""#, options: .regularExpression), "\(lab): every step ran")
        // Every step section has outputs after its source.
        let sections = html.components(separatedBy: "<section class=\"step ").dropFirst()
        XCTAssertGreaterThan(sections.count, 10, lab)
        for section in sections {
            let body = section.components(separatedBy: "</details>").dropFirst().joined()
            XCTAssertTrue(["output-text", "output-table", "<figure class=\"chart\">", "output-code"].contains { body.contains($0) },
                          "\(lab): a step without outputs: \(section.prefix(160))")
        }
        // Every chart has drawn something.
        for svg in html.components(separatedBy: "<svg ").dropFirst() {
            let body = svg.components(separatedBy: "</svg>").first ?? ""
            XCTAssertTrue(["<path", "<rect", "<circle", "<image"].contains { body.contains($0) }, "\(lab): an empty chart")
        }
    }
}

final class FailingRunTests: XCTestCase {
    func testAFailingStepStopsTheRunAndTheReportSaysWhere() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Its header is fine (check passes); only reading its rows shows the fault.
        try "x,label\n1,a\nfour,b\n".write(to: directory.appendingPathComponent("rows.csv"), atomically: false, encoding: .utf8)
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "broken", title: "Broken", moreSteps: """
        ```swift-lab load
        dataset: rows.csv
        as: rows
        ```

        ```swift-lab plot
        kind: examples
        data: tiny
        ```
        """)
        let result = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 1)
        let log = result.stderr
        XCTAssertTrue(log.hasSuffix("\(lab.path):9:1: error: \(directory.path)/rows.csv:3: column 1 ('x') is not a number: 'four'\n"), log)
        let html = try String(contentsOf: directory.appendingPathComponent("broken.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("status-failed"))
        XCTAssertTrue(html.contains("Not run: an earlier step failed."))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }, [], "no temporary files left")
    }

    /// A data file that is missing is known before anything runs: check reports it, and run
    /// refuses the lab the same way instead of failing after the steps before it.
    func testAMissingDataFileIsACheckError() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "missing", title: "Missing", moreSteps: """
        ```swift-lab load
        dataset: nowhere.csv
        as: nothing
        ```
        """)
        let expected = "\(lab.path):9:1: error: \(directory.path)/nowhere.csv: cannot read the file\n"
        let check = try swiftLab.run(["check", lab.path])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, expected)
        let run = try swiftLab.run(["run", "--no-cache", "--out", directory.path, lab.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, expected)
    }

    /// An output directory that cannot be written is found before the run, not after it.
    func testAnUnwritableOutputIsRefusedBeforeRunning() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "tiny", title: "Tiny")
        let file = directory.appendingPathComponent("not-a-directory").path
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let result = try swiftLab.run(["run", "--no-cache", "--out", file, lab.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "error: cannot write reports to \(file): it is not a directory\n", "one sentence, and no step ran")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "x")
    }
}

final class SeedOptionTests: XCTestCase {
    func testANegativeSeedIsAValueNotAnOption() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-seed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "tiny", title: "Tiny")
        let result = try swiftLab.run(["run", "--no-cache", "--seed", "-5", "--out", directory.path, lab.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("tiny.json"))) as? [String: Any]
        XCTAssertEqual(json?["seed"] as? Int, -5)
    }
}
