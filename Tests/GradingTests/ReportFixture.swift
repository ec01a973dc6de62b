import Datasets
import Foundation
import XCTest
@testable import Grading

/// A report as `swift-lab run` writes it, reduced to what `swift-lab diff` reads: the embedded
/// results JSON with its digest.
struct ReportFixture {
    var parameters: [String: String] = ["angle": "90", "epochs": "20"]
    var seed = 12
    var labSHA256 = String(repeating: "ab", count: 32)
    var format = 1
    var auc = 0.9512
    var finalLoss = 0.0174
    var samples = 20_000
    var challengePasses = [true, false]
    var extraScore = false
    var student: String?
    var answers: [(question: String, text: String)] = []
    var blas = "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"

    var object: [String: Any] {
        var results: [[String: Any]] = [
            ["step": "train", "name": "autoencoder", "line": 48, "epochs": 20, "final_loss": finalLoss, "parameters": 103_328],
            ["step": "score", "name": "rotation_error", "line": 126, "method": "reconstruction-error", "data": "upright_and_rotated",
             "samples": samples, "auc": auc, "ap": 0.94, "f1": 0.88, "threshold": 0.0453],
            ["step": "challenge", "title": "How far must a digit turn?", "vary": "angle", "measure": "rotation_error.auc", "expect": "auc >= 0.8",
             "line": 171, "values": challengePasses.enumerated().map { ["value": String(45 * ($0.offset + 1)), "auc": $0.element ? 0.9 : 0.6, "pass": $0.element] }],
        ]
        if extraScore { results.append(["step": "score", "name": "pca_error", "line": 155, "auc": 0.91]) }
        results += answers.map { ["step": "answer", "question": $0.question, "text": $0.text, "line": 200] }
        var steps: [[String: Any]] = [["line": 48, "kind": "train", "title": "autoencoder", "status": "ran"],
                                      ["line": 126, "kind": "score", "title": "rotation_error", "status": "ran"]]
        if extraScore { steps.append(["line": 155, "kind": "score", "title": "pca_error", "status": "ran"]) }
        var object: [String: Any] = ["format": format, "lab": "Labs/001-autoencoder-rotated-digits.md", "lab_sha256": labSHA256, "title": "Rotated digits",
                "seed": seed, "quick": false, "parameters": parameters, "engine": "0.2.0", "threads": 2, "cpu": "test CPU", "blas": blas,
                "steps": steps, "results": results, "data_sha256": [:] as [String: String], "failure": NSNull()]
        if let student { object["student"] = student }
        return object
    }

    var json: String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// The report page, with the digest of the embedded JSON as the renderer computes it.
    var html: String {
        let embedded = json.replacingOccurrences(of: "<", with: "\\u003c")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta name="generator" content="swift-lab 0.1.0">
        </head>
        <body>
        <footer class="run" id="run">
        <script type="application/json" id="swift-lab-results" data-sha256="\(SHA256.hex(of: Array(embedded.utf8)))">
        \(embedded)
        </script>
        </footer>
        </body>
        </html>

        """
    }

    /// `html` with the digest of its embedded results recomputed, as anyone who edits a number can.
    static func withDigest(_ html: String) -> String {
        let start = html.range(of: "data-sha256=\"")!.upperBound
        let json = html[html.range(of: "\">\n", range: start..<html.endIndex)!.upperBound...]
        let embedded = json[..<json.range(of: "\n</script>")!.lowerBound]
        return html.replacingCharacters(in: start..<html.index(start, offsetBy: 64), with: SHA256.hex(of: Array(embedded.utf8)))
    }

    func write(to url: URL) throws -> String {
        try html.write(to: url, atomically: false, encoding: .utf8)
        return url.path
    }
}

/// A test case with a fresh directory of its own, removed afterwards.
class TemporaryDirectoryTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-grading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }
}
