import Datasets
import Foundation

/// Why a report cannot be compared.
public struct UnreadableReport: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Reads the results out of a swift-lab report (HTML) or its JSON, checking that they are whole,
/// unaltered and of a format this version understands.
///
/// ```swift
/// do { let report = try ReportReader.read(path: "submissions/alice.html") }
/// catch let error as UnreadableReport { print(error) }   // "submissions/alice.html: the file is truncated ..."
/// ```
public enum ReportReader {
    static let scriptOpening = "<script type=\"application/json\" id=\"swift-lab-results\""
    static let scriptClosing = "\n</script>"

    public static func read(path: String) throws -> GradedReport {
        func fail(_ reason: String) -> UnreadableReport { UnreadableReport(path: path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail(FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw fail("not a swift-lab report (not UTF-8 text)") }
        let json = try path.hasSuffix(".json") ? text : embeddedJSON(in: text, fail: fail)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(json.utf8)) } catch {
            throw fail(path.hasSuffix(".json") ? "not a swift-lab results file (not valid JSON)" : "the embedded results are not valid JSON")
        }
        return try parse(object, path: path, fail: fail)
    }

    /// The JSON between the results script's tags, checked against the digest the tag carries.
    static func embeddedJSON(in html: String, fail: (String) -> UnreadableReport) throws -> String {
        guard let opening = html.range(of: scriptOpening) else {
            let isOurs = html.contains("<meta name=\"generator\" content=\"swift-lab")
            throw fail(isOurs ? "the file is truncated: its embedded results are missing" : "not a swift-lab report (no embedded results)")
        }
        guard let tagEnd = html[opening.upperBound...].range(of: ">\n") else { throw fail("the file is truncated inside its embedded results") }
        let attributes = html[opening.upperBound..<tagEnd.lowerBound]
        guard let closing = html[tagEnd.upperBound...].range(of: scriptClosing) else { throw fail("the file is truncated inside its embedded results") }
        let json = String(html[tagEnd.upperBound..<closing.lowerBound])
        if let digest = attributes.range(of: "data-sha256=\"") {
            let expected = attributes[digest.upperBound...].prefix(64)
            guard SHA256.hex(of: Array(json.utf8)) == expected else {
                throw fail("the embedded results were altered: their SHA-256 does not match the report's")
            }
        }
        return json
    }

    static func parse(_ object: Any, path: String, fail: (String) -> UnreadableReport) throws -> GradedReport {
        guard let root = object as? [String: Any], let format = root["format"] as? Int else {
            throw fail("not a swift-lab report (the results have no format version)")
        }
        guard format <= GradedReport.newestFormat else {
            throw fail("results format \(format) is newer than this swift-lab reads (\(GradedReport.newestFormat)); update swift-lab")
        }
        guard let lab = root["lab"] as? String, let labSHA = root["lab_sha256"] as? String, let seed = root["seed"] as? Int,
              let results = root["results"] as? [[String: Any]] else {
            throw fail("the results lack the lab, its checksum, the seed or the results")
        }
        var report = GradedReport(path: path, format: format, lab: lab, labSHA256: labSHA, title: root["title"] as? String ?? lab, seed: seed,
                                  quick: root["quick"] as? Bool ?? false,
                                  parameters: (root["parameters"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
                                  engine: root["engine"] as? String ?? "unknown", threads: root["threads"] as? Int, cpu: root["cpu"] as? String,
                                  steps: [], metrics: [], challengeOutcomes: [], failure: root["failure"] as? String)
        report.blas = root["blas"] as? String
        report.steps = (root["steps"] as? [[String: Any]] ?? []).map {
            GradedReport.StepRecord(line: $0["line"] as? Int ?? 0, kind: $0["kind"] as? String ?? "", title: $0["title"] as? String ?? "",
                                    status: $0["status"] as? String ?? "", error: $0["error"] as? String)
        }
        for result in results {
            let kind = result["step"] as? String ?? "step"
            if kind == "challenge" {
                readChallenge(result, into: &report)
                continue
            }
            let source = "\(kind) \(result["name"] as? String ?? "?")"
            for key in result.keys.sorted() where !["step", "name", "line", "method", "data"].contains(key) {
                if let value = number(result[key]) { report.metrics.append(.init(source: source, name: key, value: value)) }
            }
        }
        return report
    }

    private static func readChallenge(_ result: [String: Any], into report: inout GradedReport) {
        let title = result["title"] as? String ?? "?", vary = result["vary"] as? String ?? "value"
        let expectation = result["expect"] as? String
        for entry in result["values"] as? [[String: Any]] ?? [] {
            let value = "\(entry["value"] ?? "?")"
            let source = "challenge \(title) [\(vary)=\(value)]"
            for key in entry.keys.sorted() where key != "value" && key != "pass" {
                if let number = number(entry[key]) { report.metrics.append(.init(source: source, name: key, value: number)) }
            }
            if let expectation, let passed = entry["pass"] as? Bool {
                report.challengeOutcomes.append(.init(challenge: title, value: "\(vary)=\(value)", expectation: expectation, passed: passed))
            }
        }
    }

    /// A JSON number. (Booleans appear only under "pass" and "quick", which are not read here.)
    private static func number(_ value: Any?) -> Double? {
        if let value = value as? Double { return value }
        if let value = value as? Int { return Double(value) }
        return nil
    }
}
