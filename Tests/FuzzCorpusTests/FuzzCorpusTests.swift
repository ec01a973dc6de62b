import Foundation
import FuzzTargets
import LabDocument
import XCTest

/// Every input in Tests/FuzzCorpus/TARGET is given to its reader again: hand-made hostile inputs,
/// and each input `make fuzz` found to crash a reader, once the crash is fixed. A reader that traps
/// ends this test process, so a test that finishes has read every input. Inputs in an `open/`
/// folder still crash and are left out until their reader is fixed.
final class FuzzCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    override class func tearDown() {
        FuzzTarget.removeScratchFiles()
    }

    private func inputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let directory = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.compactMap { name in
            let url = directory.appendingPathComponent(name)
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { return nil }
            return (name, [UInt8](try Data(contentsOf: url)))
        }
    }

    private func replay(_ target: FuzzTarget) throws {
        let inputs = try inputs(target)
        XCTAssertGreaterThanOrEqual(inputs.count, 3, "Tests/FuzzCorpus/\(target.rawValue) keeps a few hostile inputs")
        for input in inputs {
            XCTAssertFalse(target.run(input.bytes).isEmpty, input.name)
        }
    }

    /// A lab from the corpus is read to the end and every problem in it is reported at a line
    /// the file has (or at the file), however broken the lab.
    func testEveryLabInTheCorpusIsCheckedWithDiagnosticsInsideTheFile() throws {
        let inputs = try inputs(.lab)
        XCTAssertGreaterThanOrEqual(inputs.count, 3)
        for input in inputs {
            let text = String(decoding: input.bytes, as: UTF8.self)
            let parsed = LabParser.parse(text: text, path: input.name)
            XCTAssertTrue(parsed.lab != nil || !parsed.diagnostics.isEmpty, "\(input.name): no lab and no reason")
            let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).count
            for diagnostic in FuzzTarget.checkLab(text, path: input.name) {
                XCTAssertFalse(diagnostic.message.isEmpty, input.name)
                if let line = diagnostic.location?.line {
                    XCTAssertTrue((1...max(lineCount, 1)).contains(line), "\(diagnostic) is outside the file's \(lineCount) lines")
                }
            }
        }
    }

    func testEveryIDXFileInTheCorpusIsReadOrRefused() throws { try replay(.idx) }
    func testEveryGzipFileInTheCorpusIsReadOrRefused() throws { try replay(.gzip) }
    func testEveryCSVFileInTheCorpusIsReadOrRefused() throws { try replay(.csv) }
    func testEveryReportInTheCorpusIsReadOrRefused() throws { try replay(.report) }

    func testEveryRubricInTheCorpusIsReadOrRefused() throws { try replay(.rubric) }

    /// The hand-made inputs say what they are: each is refused with a reason, not read.
    func testTheHandMadeHostileInputsAreRefusedForWhatTheyAre() throws {
        XCTAssertTrue(FuzzTarget.checkLab(try text(.lab, "dense-int64-max.md")).contains { $0.message.contains("9223372036854775807") })
        let truncated = FuzzTarget.gzip.run(try bytes(.gzip, "truncated.gz"))   // as images, as labels, as both
        XCTAssertTrue(truncated[0].contains("the compressed data is truncated"), "\(truncated)")
        XCTAssertTrue(FuzzTarget.report.run(try bytes(.report, "digest-removed.html"))[0].contains("no digest"))
    }

    private func bytes(_ target: FuzzTarget, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(target.rawValue).appendingPathComponent(name)))
    }

    private func text(_ target: FuzzTarget, _ name: String) throws -> String {
        String(decoding: try bytes(target, name), as: UTF8.self)
    }
}
