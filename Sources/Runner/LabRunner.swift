import Foundation
import LabDocument
import Report

/// Runs a lab: parses and checks it, runs its steps, and renders the report and its JSON.
///
/// ```swift
/// let outcome = try LabRunner.run(file: "Labs/004-conv-autoencoder-sevens.md", options: RunOptions(quick: true))
/// try ReportWriter.write(html: outcome.html, json: outcome.json, to: "Output/004.html")
/// ```
public enum LabRunner {
    public struct Outcome {
        public var document: ReportDocument
        public var html: String
        public var json: String
        /// The first failure, as `path:line:column: error: message`.
        public var failure: String?
    }

    /// Parses, checks and runs the lab at `path`.
    public static func run(file path: String, options: RunOptions, templates: ReportTemplates = .builtIn) throws -> Outcome {
        let run = LabRun(lab: try checkedLab(file: path, overrides: options.overrides), options: options)
        let started = Date()
        let (cells, failure) = run.execute(includeChallenges: true)
        return try run.outcome(cells: cells, failure: failure, seconds: Date().timeIntervalSince(started), templates: templates)
    }

    /// Throws ``LabRunError`` unless the lab at `path` checks, as `run` does before running anything.
    public static func check(file path: String, overrides: [(String, String)]) throws {
        _ = try checkedLab(file: path, overrides: overrides)
    }

    /// The lab at `path`, parsed and checked as `run` does before running anything.
    static func checkedLab(file path: String, overrides: [(String, String)]) throws -> Lab {
        let parsed = LabParser.parse(file: path, overrides: overrides)
        guard let lab = parsed.lab, !parsed.hasErrors else {
            throw LabRunError(diagnostics: parsed.diagnostics.map(\.description))
        }
        let problems = Preflight.diagnostics(for: lab, overrides: overrides)
        guard problems.isEmpty else { throw LabRunError(diagnostics: (parsed.diagnostics + problems).map(\.description)) }
        return lab
    }

    /// The version of the results JSON's layout; `swift-lab diff` refuses newer ones.
    public static let resultsFormat = 1
}

/// The lab does not check: its diagnostics, one per line.
public struct LabRunError: Error, CustomStringConvertible {
    public var diagnostics: [String]
    public var description: String { diagnostics.joined(separator: "\n") }
}
