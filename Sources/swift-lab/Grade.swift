import ArgumentParser
import Datasets
import Foundation
import Grading

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

    func validate() throws {
        if submissions.isEmpty { throw ValidationError("give the submitted reports to grade") }
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
        var book = Gradebook(rubric: rubric, reference: reference, submissions: submissions)
        if rerun {
            for index in book.rows.indices where book.rows[index].status != .unreadable {
                book.rows[index].rerun = SubmissionRerun.verdict(reportPath: book.rows[index].file)
            }
        }
        let text = json ? try GradebookText.json(book) : GradebookText.csv(book)
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch { fail("error: \(output): cannot write the gradebook: \(error.localizedDescription)") }
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

    /// One message (file:line:column: error: ... for the rubric), shown and never obeyed.
    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((TerminalText.escaped(message, keepingNewlines: true) + "\n").utf8))
        Foundation.exit(2)
    }
}
