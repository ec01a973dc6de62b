import Datasets
import Foundation
import Grading
import LabDocument
import Runner

/// The readers that take input from outside: each target feeds one input, as bytes, to the public
/// entry point that would read it from a user's file. A target returns normally whatever the
/// input; an input that makes one trap is a bug. `swift-lab-fuzz`, the libFuzzer harnesses in
/// Fuzz/ and the corpus replay test all go through here.
///
/// ```swift
/// FuzzTarget.lab.run(Array("# Lab\n```swift-lab load\n".utf8))   // diagnostics, no trap
/// ```
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A lab through `LabParser.parse(text:path:)`, then `Preflight.diagnostics(for:)`, and
    /// `Handout.make` (the handout's solution markers are read from the same hostile text).
    case lab
    /// An uncompressed IDX file through `IDXReader` and `DatasetLoader.loadIDX`.
    case idx
    /// A gzip file where an IDX file is expected (zlib reads plain files as they are).
    case gzip
    /// A CSV file through `CSVReader.featureCount` (what check reads) and `CSVReader.load`, with
    /// each scaling.
    case csv
    /// A report page through `ReportReader.read(path:)`, and the same bytes as the results JSON
    /// of a report whose digest matches, so that mutants reach the results parser.
    case report
    /// A grader's rubric through `RubricReader.read(text:path:)` and its check against a report.
    case rubric

    /// The corpus file extension, so that a saved input opens as what it is.
    public var fileExtension: String {
        switch self {
        case .lab: "md"
        case .idx: "idx"
        case .gzip: "gz"
        case .csv: "csv"
        case .report: "html"
        case .rubric: "yml"
        }
    }

    /// Reads `bytes`; what the reader says is returned as text (for the lab, the diagnostics).
    @discardableResult
    public func run(_ bytes: [UInt8]) -> [String] {
        switch self {
        case .lab:
            let text = String(decoding: bytes, as: UTF8.self)
            return Self.checkLab(text).map(\.description) + [Handout.make(text: text, path: "fuzz.md").0 == nil ? "no handout" : "a handout"]
        case .idx, .gzip:
            let path = Self.scratch("input.\(fileExtension)", bytes)
            return [Self.outcome { try IDXReader.images(at: path) },
                    Self.outcome { try IDXReader.labels(at: path) },
                    Self.outcome { try DatasetLoader.loadIDX(images: path, labels: path, name: "fuzz") }]
        case .csv:
            let path = Self.scratch("input.csv", bytes)
            // The header alone, as check reads it, then the whole file with each scaling.
            return [Self.outcome { try CSVReader.featureCount(path) }] + [CSVReader.Scaling.none, .minmax, .zscore].map { scaling in
                Self.outcome { try CSVReader.load(path, scaling: scaling) }
            }
        case .report:
            let page = Self.scratch("report.html", bytes)
            let wrapped = Self.scratch("wrapped.html", Array(Self.reportPage(embedding: bytes).utf8))
            return [Self.outcome { try ReportReader.read(path: page) },
                    Self.outcome { try ReportReader.read(path: wrapped) }]
        case .rubric:
            return [Self.outcome {
                let rubric = try RubricReader.read(text: String(decoding: bytes, as: UTF8.self), path: "fuzz.yml")
                try RubricReader.check(rubric, against: try ReportReader.read(resultsJSON: Self.rubricReference, path: "reference.json"))
                return rubric
            }]
        }
    }

    /// The results a fuzzed rubric is checked against: one score and one challenge.
    static let rubricReference = """
        {"format": 1, "lab": "x.md", "lab_sha256": "00", "seed": 0, "results": [
          {"step": "score", "name": "s", "auc": 0.9, "f1": 0.5},
          {"step": "challenge", "title": "Flag more", "expect": "f1 >= 0.5", "values": [{"value": "1", "f1": 0.6, "pass": true}]}]}
        """

    /// What `swift-lab check` does with a lab's text, without the file system.
    public static func checkLab(_ text: String, path: String = "fuzz.md") -> [Diagnostic] {
        let parsed = LabParser.parse(text: text, path: path)
        guard let lab = parsed.lab, !parsed.hasErrors else { return parsed.diagnostics }
        return parsed.diagnostics + Preflight.diagnostics(for: lab)
    }

    /// A report page carrying `json` as its results, with the digest the renderer would write.
    static func reportPage(embedding json: [UInt8]) -> String {
        let text = String(decoding: json, as: UTF8.self)
        let embedded = text.replacingOccurrences(of: "<", with: "\\u003c")
        return """
        <!DOCTYPE html>
        <meta name="generator" content="swift-lab">
        <script type="application/json" id="swift-lab-results" data-sha256="\(SHA256.hex(of: Array(embedded.utf8)))">
        \(embedded)
        </script>

        """
    }

    private static func outcome(_ read: () throws -> Any) -> String {
        do { return "read \(type(of: try read()))" } catch { return "\(error)" }
    }

    /// Removes the files the readers were given; call once, when done.
    public static func removeScratchFiles() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One directory per process, so that parallel runs do not read each other's inputs.
    private static let directory: String = {
        let path = NSTemporaryDirectory() + "swift-lab-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private static func scratch(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("\(path): cannot write the file") }
        return path
    }
}
