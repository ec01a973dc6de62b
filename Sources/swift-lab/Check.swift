import ArgumentParser
import Datasets
import Foundation
import LabDocument
import Runner

/// `swift-lab check LAB...`: validates labs without running anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check labs for errors without running them.",
        discussion: "Prints every problem as path:line:column: error: message. Exit status: 0 no problems, 1 problems found, 2 usage error.")

    @Argument(help: "Lab files, or directories searched for .md files.")
    var paths: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter, as name=value.", valueName: "name=value"))
    var overrides: [String] = []

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    func run() throws {
        let pairs = try ParameterOverrides.parse(overrides)
        let report: LabChecker.Report
        do {
            report = try LabChecker.check(paths: paths, overrides: pairs, further: { Preflight.diagnostics(for: $0, overrides: pairs) })
        } catch let missing as LabChecker.MissingPath {
            FileHandle.standardError.write(Data((TerminalText.escaped(missing.description) + "\n").utf8))
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let payload = CheckOutput(files: report.files, diagnostics: report.diagnostics)
            print(String(decoding: try encoder.encode(payload), as: UTF8.self))
        } else {
            // A diagnostic quotes the lab (keys, values, names): shown, never obeyed by the terminal.
            for diagnostic in report.diagnostics { print(TerminalText.escaped(diagnostic.description)) }
            let errors = report.diagnostics.filter { $0.severity == .error }.count
            let toComplete = report.diagnostics.filter { $0.severity == .toComplete }.count
            var summary = errors == 0
                ? "checked \(report.files.count) lab\(report.files.count == 1 ? "" : "s"): no problems"
                : "checked \(report.files.count) lab\(report.files.count == 1 ? "" : "s"): \(errors) error\(errors == 1 ? "" : "s")"
            // A handout's parts to complete are the student's work, not problems of the lab.
            if toComplete > 0 { summary += "; \(toComplete) part\(toComplete == 1 ? "" : "s") to complete" }
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        if report.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}

private struct CheckOutput: Encodable {
    var files: [String]
    var diagnostics: [Diagnostic]
}

/// `--set name=value` pairs.
enum ParameterOverrides {
    static func parse(_ texts: [String]) throws -> [(String, String)] {
        try texts.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--set expects name=value, got '\(text)'")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }
}

extension ParameterOverrides {
    /// The values of a `--params` file, then the `--set` pairs (so `--set` wins), for `lab`.
    /// Prints the file's problems as `file:line:column: error:` and exits 1 if it has any; a lab
    /// that does not parse is left for the run to report.
    static func combined(parametersFile: String?, sets: [String], lab: String) throws -> [(String, String)] {
        let sets = try parse(sets)
        guard let parametersFile else { return sets }
        let parsed = LabParser.parse(file: lab)
        // Checked against a lab whose parameters are unknown, every name in the file would be
        // "not a parameter": the run reports the front matter's errors; the file is checked once it reads.
        guard let document = parsed.lab, !parsed.parametersUnknown else { return sets }
        let (fromFile, diagnostics) = ParameterFile.overrides(path: parametersFile, for: document)
        guard diagnostics.isEmpty else {
            FileHandle.standardError.write(Data((diagnostics.map { TerminalText.escaped($0.description) }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
        return fromFile + sets
    }
}
