import Datasets
import Foundation

/// A class graded against a rubric: one row per submission, one mark per rubric item.
///
/// ```swift
/// let book = Gradebook(rubric: rubric, reference: reference, submissions: ["alice.html", "bob.html"])
/// try book.csv().write(toFile: "grades.csv", atomically: true, encoding: .ascii)
/// ```
public struct Gradebook: Sendable {
    /// How far a submission could be graded.
    public enum Status: String, Sendable {
        /// Read, and every item graded.
        case graded
        /// Read, but the run stopped at a failing step: what it recorded is graded.
        case runFailed = "run failed"
        /// Not read (missing, truncated, altered, not a report): no marks.
        case unreadable
    }

    /// The result of one rubric item for one submission.
    public struct Mark: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            case passed, failed
            /// A challenge: this many of its values met the expectation.
            case partly(met: Int, of: Int)
            /// An answer to grade by hand.
            case received
            case missing
        }

        /// nil for an item graded by hand (its cell is left blank for the grader).
        public var points: Double?
        public var outcome: Outcome
        /// Why, in a few words ("not recorded", "expectation changed to auc >= 0").
        public var detail: String?
    }

    public struct Row: Sendable {
        public var file: String
        public var student: String
        public var status: Status
        /// Why the submission is unreadable, or where its run failed.
        public var problem: String?
        /// Settings that differ from the reference's, a student id given twice.
        public var notes: [String] = []
        /// One per rubric item, in the rubric's order; empty when unreadable.
        public var marks: [Mark] = []
        /// The title of the lab the report is of.
        public var labTitle: String?
        /// The written answers, per question, for the grader to read.
        public var answers: [GradedReport.Answer] = []
        /// With `--rerun`: whether the lab, run again, gave the report's numbers.
        public var rerun: RerunCheck.Verdict?

        /// The automatic points; nil when the submission could not be read.
        public var total: Double? { status == .unreadable ? nil : marks.compactMap(\.points).reduce(0, +) }
    }

    public var rubric: Rubric
    public var rows: [Row] = []

    /// Reads and grades each submission in turn; one that cannot be read gets a row saying why.
    public init(rubric: Rubric, reference: GradedReport, submissions: [String]) {
        self.rubric = rubric
        var students: [String: String] = [:]
        for path in submissions {
            var row: Row
            do {
                let report = try ReportReader.read(path: path)
                row = Row(file: path, student: Self.studentID(of: report, path: path, reference: reference.path), status: report.failure == nil ? .graded : .runFailed,
                          problem: report.failure, notes: Self.settingNotes(report, reference: reference),
                          marks: rubric.items.map { Self.mark($0, submission: report, reference: reference) }, labTitle: report.title,
                          answers: report.answers)
            } catch let error as UnreadableReport {
                row = Row(file: path, student: Self.fileID(path, reference: reference.path), status: .unreadable, problem: error.reason)
            } catch {
                row = Row(file: path, student: Self.fileID(path, reference: reference.path), status: .unreadable, problem: "\(error)")
            }
            if let other = students[row.student] { row.notes.append("student id also in \(other)") } else { students[row.student] = path }
            rows.append(row)
        }
    }

    /// Every submission could be read.
    public var allRead: Bool { rows.allSatisfy { $0.status != .unreadable } }

    /// Every submission re-run gave its report's numbers (true when none was re-run).
    public var allVerified: Bool { rows.allSatisfy { $0.rerun?.matches ?? true } }

    static func mark(_ item: Rubric.Item, submission: GradedReport, reference: GradedReport) -> Mark {
        switch item.check {
        case .metric(let recorded, let bound):
            guard let value = recorded.value(in: submission) else { return Mark(points: 0, outcome: .failed, detail: "\(recorded) not recorded") }
            guard let expected = recorded.value(in: reference) else { return Mark(points: 0, outcome: .failed, detail: "not in the reference") }
            return bound.allows(expected, value) ? Mark(points: item.points, outcome: .passed) : Mark(points: 0, outcome: .failed, detail: "outside the tolerance")
        case .challenge(let title):
            let expectation = reference.challengeOutcomes.first { $0.challenge == title }?.expectation
            let outcomes = submission.challengeOutcomes.filter { $0.challenge == title }
            guard !outcomes.isEmpty else { return Mark(points: 0, outcome: .missing, detail: "the challenge was not run") }
            // The student's lab says what passes: an expectation edited to pass anything earns nothing.
            if let changed = outcomes.first(where: { $0.expectation != expectation }) {
                return Mark(points: 0, outcome: .failed, detail: "expectation changed to \(changed.expectation)")
            }
            let met = outcomes.filter(\.passed).count
            return Mark(points: item.points * Double(met) / Double(outcomes.count), outcome: .partly(met: met, of: outcomes.count))
        case .expectation(let recorded, let expectation):
            guard let value = recorded.value(in: submission) else { return Mark(points: 0, outcome: .failed, detail: "\(recorded) not recorded") }
            return expectation.holds(for: value) ? Mark(points: item.points, outcome: .passed) : Mark(points: 0, outcome: .failed)
        case .answer(let question):
            let answered = submission.answers.contains { $0.question == question && !$0.text.allSatisfy(\.isWhitespace) }
            return answered ? Mark(points: nil, outcome: .received) : Mark(points: 0, outcome: .missing, detail: "no answer to \(question)")
        }
    }

    /// The report's `student:`, else the file's (see `fileID`).
    static func studentID(of report: GradedReport, path: String, reference: String) -> String {
        guard let student = report.student?.trimmingCharacters(in: .whitespacesAndNewlines), !student.isEmpty else { return fileID(path, reference: reference) }
        return String(student.prefix(100))
    }

    /// The file's name without its extension (`alice.html`: alice); but a report named as the lab
    /// is (`alice/rotated.html`, like the reference's `rotated.html`) is one student's folder, named
    /// after them.
    static func fileID(_ path: String, reference: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        guard stem == URL(fileURLWithPath: reference).deletingPathExtension().lastPathComponent else { return stem }
        let folder = url.deletingLastPathComponent().lastPathComponent
        return folder.isEmpty || folder == "/" ? stem : folder
    }

    /// What makes the numbers another experiment than the reference's: worth a grader's look.
    static func settingNotes(_ report: GradedReport, reference: GradedReport) -> [String] {
        var notes: [String] = []
        if report.seed != reference.seed { notes.append("seed \(report.seed) (reference \(reference.seed))") }
        if report.quick != reference.quick { notes.append(report.quick ? "run with --quick (reference full)" : "full run (reference --quick)") }
        for name in Set(report.parameters.keys).union(reference.parameters.keys).sorted() where report.parameters[name] != reference.parameters[name] {
            notes.append("\(name)=\(report.parameters[name] ?? "(absent)") (reference \(reference.parameters[name] ?? "absent"))")
        }
        return notes
    }

    /// Points with at most four decimals, and no trailing zeros: "2", "0.6667".
    static func number(_ x: Double) -> String {
        let rounded = (x * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.4f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
