import LabDocument

/// A grader's rubric: items with points, each one check of a submitted report. It is kept by the
/// grader and never shipped to students, so its hidden items are checks students cannot see.
///
/// ```yaml
/// items:
///   - id: auc
///     points: 2
///     metric: rotation_error.auc        # within tolerance of the reference's value
///     tolerance: 0.02
///   - id: turning
///     points: 1
///     challenge: How far must a digit turn?
///   - id: hidden_auc
///     points: 2
///     expect: rotation_error.auc >= 0.6
///     hidden: true
///   - id: q1
///     points: 3
///     answer: q1                        # present or missing; the points are the grader's
/// ```
///
/// ```swift
/// let rubric = try RubricReader.read(path: "rubric.yml")
/// print(rubric.items.map(\.id))   // ["auc", "turning", "hidden_auc", "q1"]
/// ```
public struct Rubric: Sendable {
    public var path: String
    public var title: String?
    public var items: [Item]

    public struct Item: Sendable {
        /// The item's column in the gradebook: letters, digits, `_`, `-` and `.` only.
        public var id: String
        public var points: Double
        /// Shown in the feedback instead of a description made from the check.
        public var title: String?
        /// Left out of the feedback students get; counted in the gradebook.
        public var hidden: Bool
        public var check: Check
        /// Where the check is written in the rubric, for errors found against the reference.
        public var location: SourceLocation
    }

    /// What an item checks: one vocabulary, switched over exhaustively wherever items are graded.
    public enum Check: Sendable {
        /// A recorded value (`name.metric`) within `bound` of the reference's value.
        case metric(RecordedValue, bound: Tolerance.Bound)
        /// The share of a challenge's values that met its expectation (the reference's).
        case challenge(title: String)
        /// A condition on any recorded value, e.g. `rotation_error.auc >= 0.6`.
        case expectation(RecordedValue, Expectation)
        /// A written answer to a question is present; the points are given by hand.
        case answer(question: String)

        /// The rubric key that declares the check.
        public static let keys = ["metric", "challenge", "expect", "answer"]

        /// Graded by hand: the gradebook leaves the cell blank for the grader.
        public var isManual: Bool {
            switch self {
            case .answer: return true
            case .metric, .challenge, .expectation: return false
            }
        }
    }

    /// The most points the automatic items give.
    public var automaticPoints: Double { items.filter { !$0.check.isManual }.reduce(0) { $0 + $1.points } }
}
