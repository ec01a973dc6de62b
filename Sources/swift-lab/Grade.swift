import ArgumentParser
import Datasets
import Foundation
import Engine
import Grading
import Runner
import Sharding

/// `swift-lab grade --rubric RUBRIC.yml --reference REF.html SUBMISSION... [-o grades.csv]`.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade a class of reports against a rubric and a reference report: a gradebook, and feedback pages.",
        discussion: """
            One row per submission: the student (the report's `student:`, else the file name), one column of points \
            per rubric item (blank for items graded by hand), the total of the automatic points and notes. \
            A submission that cannot be read gets a row saying why.
            With --rerun, a submission is the student's lab and its report side by side (alice/lab.md, alice/lab.html).
            Exit status: 0 every submission read (and, with --rerun, each gave its numbers again), 1 otherwise, \
            2 the rubric or the reference cannot be used.
            """)

    @Option(help: ArgumentHelp("The rubric (YAML): items with points.", valueName: "file"))
    var rubric: String

    @Option(help: ArgumentHelp("The reference report that metrics are compared with.", valueName: "report"))
    var reference: String

    @Argument(help: "The submitted reports.")
    var submissions: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the gradebook to this file instead of printing it.", valueName: "file"))
    var output: String?

    @Flag(help: "JSON instead of CSV.")
    var json = false

    @Option(help: ArgumentHelp("Write one feedback page per student into this directory.", valueName: "directory"))
    var feedback: String?

    @Flag(help: "Run each submitted lab (LAB.md beside LAB.html) again with the seed, mode and parameters its report records, and flag reports whose numbers differ.")
    var rerun = false

    @Option(help: ArgumentHelp("Grade the I-th of N shares of the submissions (the k-th is share k mod N + 1) and write a partial result to --output, for swift-lab merge; 'auto' and 'auto/N' as for run.", valueName: "I/N|auto|auto/N"))
    var shard: String?

    func validate() throws {
        if submissions.isEmpty { throw ValidationError("give the submitted reports to grade") }
        if shard != nil, output == nil { throw ValidationError("--shard writes a partial result: give its file with --output") }
        if shard != nil, feedback != nil || json { throw ValidationError("--feedback and --json belong to the merge of the shards, not to --shard") }
    }

    func run() throws {
        let rubric: Rubric, reference: GradedReport
        do {
            reference = try ReportReader.read(path: self.reference)
            rubric = try RubricReader.read(path: self.rubric)
            try RubricReader.check(rubric, against: reference)
        } catch let error as RubricError {
            fail(error.description)
        } catch let error as UnreadableReport {
            fail("error: the reference \(error.description)")
        }
        if let shard, let output {
            let partial = GradePartial(rubric: self.rubric, reference: self.reference, submissions: submissions, rerun: rerun,
                                       engine: Engine.version, shard: try ShardCommand.resolve(shard), verdict: SubmissionRerun.verdict(reportPath:))
            do { try PartialFile.write(try partial.encoded(), to: output) } catch let error as ShardError { fail("error: \(error.description)") }
            FileHandle.standardError.write(Data("shard \(partial.shard): \(partial.records.count) of \(submissions.count) submissions\n".utf8))
            return
        }
        var book = Gradebook(rubric: rubric, reference: reference, submissions: submissions)
        if rerun {
            for index in book.rows.indices where book.rows[index].status != .unreadable {
                book.rows[index].rerun = SubmissionRerun.verdict(reportPath: book.rows[index].file)
            }
        }
        try Self.finish(book, output: output, json: json, feedback: feedback, rerun: rerun)
    }

    /// Writes the gradebook (and feedback), says how it went, and exits as the discussion says.
    static func finish(_ book: Gradebook, output: String?, json: Bool, feedback: String?, rerun: Bool) throws {
        let text = json ? try GradebookText.json(book) : GradebookText.csv(book)
        if let output {
            // Whole or not at all: written beside its name, then renamed into place.
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch { fail("error: \(output): cannot write the gradebook: \(error.localizedDescription)") }
        } else {
            print(text, terminator: "")
        }
        if let feedback {
            do { _ = try Feedback.write(book, to: URL(fileURLWithPath: feedback)) } catch { fail("error: \(feedback): cannot write the feedback: \(error.localizedDescription)") }
        }
        let unread = book.rows.filter { $0.status == .unreadable }.count
        let flagged = book.rows.filter { $0.rerun?.matches == false }.count
        if output != nil || unread > 0 || flagged > 0 {
            var summary = "graded \(book.rows.count - unread) of \(book.rows.count) submissions" + (unread > 0 ? "; \(unread) could not be read (see their rows)" : "")
            if rerun { summary += flagged > 0 ? "; \(flagged) did not give their numbers again on re-run (see the rerun column)" : "; every one re-run gave its numbers again" }
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        throw ExitCode(book.allRead && book.allVerified ? 0 : 1)
    }

    private func fail(_ message: String) -> Never { Self.fail(message) }

    /// One message (file:line:column: error: ... for the rubric), shown and never obeyed.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((TerminalText.escaped(message, keepingNewlines: true) + "\n").utf8))
        Foundation.exit(2)
    }
}
