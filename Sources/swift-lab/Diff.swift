import ArgumentParser
import Datasets
import Foundation
import Grading

/// `swift-lab diff A B` and `swift-lab diff --reference REF SUBMISSION...`.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two reports, or a class of submissions against a reference report.",
        discussion: """
            Reports are the HTML files swift-lab run writes (or the JSON beside them). A metric differs when \
            |a - b| > tolerance + relative-tolerance * max(|a|, |b|); by default rates (AUC, AP, F1, precision, \
            recall, accuracy) allow 0.01, losses and thresholds 2 %, counts nothing.
            Exit status: 0 equal within tolerance, 1 different, 2 a report cannot be read (for a class: the reference).
            """)

    @Argument(help: "Two reports to compare, or with --reference the submissions.")
    var reports: [String] = []

    @Option(help: ArgumentHelp("Compare every report given against this one, one row each.", valueName: "report"))
    var reference: String?

    @Option(help: "Absolute tolerance of every metric but counts.")
    var tolerance: Double?

    @Option(help: "Relative tolerance of every metric but counts.")
    var relativeTolerance: Double?

    @Flag(help: "Print JSON (two reports).")
    var json = false

    @Flag(help: "Print CSV instead of a Markdown table (a class).")
    var csv = false

    func validate() throws {
        if reference == nil, reports.count != 2 { throw ValidationError("give two reports, or --reference REPORT and the submissions") }
        if reference != nil, reports.isEmpty { throw ValidationError("give the submissions to compare with the reference") }
        // Said rather than ignored: a tool reading the class table as JSON would get Markdown.
        if reference != nil, json { throw ValidationError("--json compares two reports; for a class, use --csv, or swift-lab grade --json") }
        for (name, value) in [("--tolerance", tolerance), ("--relative-tolerance", relativeTolerance)] {
            if let value, !(value >= 0) { throw ValidationError("\(name) must be a number ≥ 0") }
        }
    }

    func run() throws {
        let bounds = Tolerance.defaults.overriding(absolute: tolerance, relative: relativeTolerance)
        if let reference {
            let table = ClassTable(reference: try read(reference), submissions: reports, tolerance: bounds)
            print(csv ? table.csv() : table.markdown(), terminator: csv ? "" : "\n")
            throw ExitCode(table.allEqual ? 0 : 1)
        }
        let comparison = ReportComparison(try read(reports[0]), try read(reports[1]), tolerance: bounds)
        print(json ? try ComparisonText.json(comparison) : ComparisonText.summary(comparison))
        throw ExitCode(comparison.isEqual ? 0 : 1)
    }

    private func read(_ path: String) throws -> GradedReport {
        do { return try ReportReader.read(path: path) } catch let error as UnreadableReport {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error.description))\n".utf8))
            throw ExitCode(2)
        }
    }
}
