import ArgumentParser
import Datasets
import Foundation
import Grading
import Report
import Runner
import Sharding

/// `swift-lab merge PARTIAL... --out DIR`: the shards' partial results into one report.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the partial results of `run --shard I/N` into the lab's report.",
        discussion: """
            Give every shard's partial (NAME.shard-I-of-N.json). The lab runs once more with the partials' seed, \
            parameters and mode, its own steps from the cache (the shards put its models there, so this takes seconds \
            with a shared cache) and every challenge variant's outcome from its partial. The report is the one a \
            one-process run makes, byte for byte above its run section, which says it was merged.
            Partials of `grade --shard` (told apart by their contents) make the gradebook instead: the class is graded \
            again from the same rubric, reference and reports, each re-run verdict from its shard; give -o, --json and \
            --feedback as to grade.
            Exit status: 0 merged, 1 the partials do not make one run (one missing, given twice, of another lab, seed, \
            mode or engine, damaged) or a step failed, 2 a usage error. Nothing is written unless the partials make one run.
            """)

    @Argument(help: "The partial results, one per shard.")
    var partials: [String] = []

    @Option(help: ArgumentHelp("Directory for the report.", valueName: "dir"))
    var out: String = "Output"

    @Option(help: ArgumentHelp("Directory of the cache of trained models and scores the shards used.", valueName: "dir"))
    var cache: String = RunOptions.defaultCacheDirectory

    @Flag(help: "Neither read nor write the cache (the lab's own steps are computed again).")
    var noCache = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Partials of grade --shard: write the gradebook to this file instead of printing it.", valueName: "file"))
    var output: String?

    @Flag(help: "Partials of grade --shard: the gradebook as JSON instead of CSV.")
    var json = false

    @Option(help: ArgumentHelp("Partials of grade --shard: write one feedback page per student into this directory.", valueName: "directory"))
    var feedback: String?

    func validate() throws {
        if partials.isEmpty { throw ValidationError("give the partial results to merge (the files run --shard wrote)") }
        guard !out.isEmpty else { throw ValidationError("--out is empty: give the directory for the report (Output by default)") }
    }

    func run() throws {
        // The first file says which command's partials these are; each is checked in full below.
        if let data = try? PartialFile.read(partials[0]), PartialFile.header(of: data)?.kind == GradePartial.kindName {
            return try mergeGrades()
        }
        let set: PartialSet
        do {
            set = try PartialSet.read(paths: partials)
            try set.checkedLab()
        } catch let error as ShardError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        }
        let path = ReportOutput.path(forLab: set.lab, in: out)
        Interruption.install(report: TerminalText.escaped(path))
        try ReportOutput.prepare(path)
        let options = RunOptions(cacheDirectory: noCache ? nil : cache, progress: ProgressPrinter().handle)
        let outcome: LabRunner.Outcome
        do {
            outcome = try LabRunner.merge(set, options: options, templates: try Run.templates())
        } catch let error as ShardError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        }
        try ReportOutput.finish(outcome, path: path, out: out)
    }

    /// The gradebook of a class graded in shards: the one `grade` makes in one process.
    private func mergeGrades() throws {
        let set: GradePartialSet, book: Gradebook
        do {
            set = try GradePartialSet.read(paths: partials)
            book = try set.gradebook()
        } catch let error as ShardError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        } catch let error as RubricError {
            throw ReportOutput.failure(TerminalText.escaped(error.description, keepingNewlines: true))
        } catch let error as UnreadableReport {
            throw ReportOutput.failure("error: the reference \(TerminalText.escaped(error.description))")
        }
        try Grade.finish(book, output: output, json: json, feedback: feedback, rerun: set.first.rerun)
    }
}
