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
    /// A report embeds its charts and images; the largest seed lab's is a few MiB.
    public static let maximumBytes = 256 * 1024 * 1024

    public static func read(path: String) throws -> GradedReport {
        func fail(_ reason: String) -> UnreadableReport { UnreadableReport(path: path, reason: reason) }
        // Before opening: a FIFO handed in as a report would make the read wait forever.
        if let problem = RegularFile.problem(at: path) { throw fail(problem) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail(FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        defer { try? handle.close() }
        // One byte past the limit, so that a huge file costs no more than the limit to refuse.
        guard let data = try? handle.read(upToCount: maximumBytes + 1) ?? Data() else { throw fail("cannot read the file") }
        guard data.count <= maximumBytes else { throw fail("the file is larger than \(maximumBytes / 1024 / 1024) MiB, more than any report") }
        guard let text = String(data: data, encoding: .utf8) else { throw fail("not a swift-lab report (not UTF-8 text)") }
        let isResultsFile = path.hasSuffix(".json")
        let json = try isResultsFile ? text : embeddedJSON(in: text, fail: fail)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(json.utf8)) } catch {
            throw fail(path.hasSuffix(".json") ? "not a swift-lab results file (not valid JSON)" : "the embedded results are not valid JSON")
        }
        let report = try parse(object, path: path, fail: fail)
        if isResultsFile { try vouch(forResults: json, path: path, fail: fail) }
        return report
    }

    /// Results JSON this program has just made (a re-run's), read without a digest to check.
    public static func read(resultsJSON json: String, path: String) throws -> GradedReport {
        func fail(_ reason: String) -> UnreadableReport { UnreadableReport(path: path, reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { throw fail("the results are not valid JSON") }
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
        // Without its digest, nothing tells an edited result from a computed one.
        guard let digest = attributes.range(of: "data-sha256=\"") else { throw fail("the report has no digest of its results") }
        let expected = attributes[digest.upperBound...].prefix(64)
        guard SHA256.hex(of: Array(json.utf8)) == expected else {
            throw fail("the embedded results were altered: their SHA-256 does not match the report's")
        }
        return json
    }

    /// A results file (`NAME.json`) carries no digest of its own: it is read only beside its
    /// report (`NAME.html`), whose digest must be that of these results as the report embeds them.
    static func vouch(forResults json: String, path: String, fail: (String) -> UnreadableReport) throws {
        let reportPath = String(path.dropLast(".json".count)) + ".html"
        guard let data = FileManager.default.contents(atPath: reportPath) else {
            throw fail("results are graded only beside their report: \(reportPath) is missing")
        }
        let html = String(decoding: data, as: UTF8.self)
        guard let opening = html.range(of: scriptOpening), let tagEnd = html[opening.upperBound...].range(of: ">\n"),
              let digest = html[opening.upperBound..<tagEnd.lowerBound].range(of: "data-sha256=\"") else {
            throw fail("results are graded only beside their report, and \(reportPath) has no digest of its results")
        }
        // The report embeds the JSON with every "<" written as \u003c, and its digest covers that text.
        let embedded = json.unicodeScalars.reduce(into: "") { text, scalar in
            if scalar == "<" { text += "\\u003c" } else { text.unicodeScalars.append(scalar) }
        }
        guard SHA256.hex(of: Array(embedded.utf8)) == html[digest.upperBound...].prefix(64) else {
            throw fail("these results do not belong to the report beside them (\(reportPath)): the pair was not written by one run")
        }
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
        report.student = root["student"] as? String
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
            // A written answer is the student's own text: listed per question, never compared as a number.
            if kind == "answer" {
                if let question = result["question"] as? String { report.answers.append(.init(question: question, text: result["text"] as? String ?? "")) }
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
