import Datasets
import Foundation

/// A YAML file that is not a lab (a grader's rubric), read with the same guards as a lab's
/// YAML: no anchors or aliases, bounded depth and size, and every problem a `Diagnostic` that
/// names the file, line and column.
///
/// ```swift
/// let (value, diagnostics) = YAMLFile.read(path: "rubric.yml")
/// diagnostics.forEach { print($0) }   // rubric.yml:4:9: error: YAML syntax error: ...
/// print(value?["items"]?.list?.count ?? 0)
/// ```
public enum YAMLFile {
    /// A rubric or settings file is a few hundred lines; anything this big is a mistake.
    public static let maximumBytes = 1024 * 1024

    /// Reads and parses the file at `path`; nil with at least one diagnostic when it cannot.
    public static func read(path: String) -> (LabValue?, [Diagnostic]) {
        var sink = DiagnosticSink(file: path)
        // Before opening: a FIFO would make the read wait forever.
        if let problem = RegularFile.problem(at: path) {
            sink.error(problem, at: nil)
            return (nil, sink.diagnostics)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            sink.error(FileManager.default.fileExists(atPath: path) ? "cannot open the file" : "no such file", at: nil)
            return (nil, sink.diagnostics)
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        guard data.count <= maximumBytes else {
            sink.error("file is larger than \(maximumBytes / 1024 / 1024) MiB", at: nil)
            return (nil, sink.diagnostics)
        }
        guard !data.contains(0), let text = String(validatingUTF8Data: data) else {
            sink.error("file is not UTF-8 text", at: nil)
            return (nil, sink.diagnostics)
        }
        return parse(text: text, path: path)
    }

    /// Parses YAML text that did not come from a file (tests); diagnostics name `path`.
    public static func parse(text: String, path: String) -> (LabValue?, [Diagnostic]) {
        var sink = DiagnosticSink(file: path)
        let body = LabParser.normalisingLineEndings(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        let value = YAMLReader.parse(body, placement: SnippetPlacement(firstLine: 1, columnShift: 0, substitutions: nil), sink: &sink)
        return (sink.hasErrors ? nil : value, sink.diagnostics)
    }
}
