/// What differs between two reports: the lab, the settings, every measured number (against a
/// tolerance), challenge outcomes, and steps that ran in one only or failed.
///
/// ```swift
/// let comparison = ReportComparison(reference, submission, tolerance: .defaults)
/// if !comparison.isEqual { print(ComparisonText.summary(comparison)) }
/// ```
public struct ReportComparison: Sendable {
    public struct Change: Sendable, Equatable {
        public var name: String
        public var a: String?
        public var b: String?
    }

    public struct MetricChange: Sendable, Equatable {
        public var key: String
        public var metric: String
        public var a: Double
        public var b: Double
        public var withinTolerance: Bool
    }

    public struct OutcomeChange: Sendable, Equatable {
        public var key: String
        public var expectation: String
        public var a: Bool?
        public var b: Bool?
    }

    public var a: GradedReport
    public var b: GradedReport
    public var sameLab: Bool { a.labSHA256 == b.labSHA256 }
    /// Parameters, seed and mode that differ.
    public var settings: [Change] = []
    /// Every metric present in both, in A's order; `withinTolerance` says whether it counts as a difference.
    public var metrics: [MetricChange] = []
    public var metricsOnlyInA: [String] = []
    public var metricsOnlyInB: [String] = []
    public var outcomes: [OutcomeChange] = []
    public var stepsOnlyInA: [String] = []
    public var stepsOnlyInB: [String] = []
    /// Steps whose status differs (ran, failed, not run), with the error where there is one.
    public var stepStatus: [Change] = []

    /// Every question answered in either report, in order of first appearance, with each
    /// report's answer (nil when it has none): shown, never counted as a difference.
    public var answers: [(question: String, a: String?, b: String?)] {
        var questions: [String] = []
        for answer in a.answers + b.answers where !questions.contains(answer.question) { questions.append(answer.question) }
        return questions.map { q in (q, a.answers.first { $0.question == q }?.text, b.answers.first { $0.question == q }?.text) }
    }

    public var metricsBeyondTolerance: [MetricChange] { metrics.filter { !$0.withinTolerance } }

    /// Equal within tolerance: same lab, same settings, the same steps with the same outcome,
    /// every metric within tolerance.
    public var isEqual: Bool {
        sameLab && settings.isEmpty && metricsBeyondTolerance.isEmpty && metricsOnlyInA.isEmpty && metricsOnlyInB.isEmpty
            && outcomes.isEmpty && stepsOnlyInA.isEmpty && stepsOnlyInB.isEmpty && stepStatus.isEmpty
    }

    public init(_ a: GradedReport, _ b: GradedReport, tolerance: Tolerance = .defaults) {
        self.a = a
        self.b = b
        for name in Set(a.parameters.keys).union(b.parameters.keys).sorted() where a.parameters[name] != b.parameters[name] {
            settings.append(Change(name: name, a: a.parameters[name], b: b.parameters[name]))
        }
        if a.seed != b.seed { settings.append(Change(name: "seed", a: String(a.seed), b: String(b.seed))) }
        if a.quick != b.quick { settings.append(Change(name: "mode", a: a.quick ? "quick" : "full", b: b.quick ? "quick" : "full")) }

        let bMetrics = Dictionary(b.metrics.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let aKeys = Set(a.metrics.map(\.key))
        for metric in a.metrics {
            guard let other = bMetrics[metric.key] else { metricsOnlyInA.append(metric.key); continue }
            metrics.append(MetricChange(key: metric.key, metric: metric.name, a: metric.value, b: other.value,
                                        withinTolerance: tolerance.allows(metric.name, metric.value, other.value)))
        }
        metricsOnlyInB = b.metrics.map(\.key).filter { !aKeys.contains($0) }

        let bOutcomes = Dictionary(b.challengeOutcomes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let aOutcomes = Dictionary(a.challengeOutcomes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for outcome in a.challengeOutcomes where bOutcomes[outcome.key]?.passed != outcome.passed {
            outcomes.append(OutcomeChange(key: outcome.key, expectation: outcome.expectation, a: outcome.passed, b: bOutcomes[outcome.key]?.passed))
        }
        for outcome in b.challengeOutcomes where aOutcomes[outcome.key] == nil {
            outcomes.append(OutcomeChange(key: outcome.key, expectation: outcome.expectation, a: nil, b: outcome.passed))
        }

        // Answers are the students' own text: listed per question (`answers`), never a difference.
        let aSteps = a.steps.filter { $0.kind != "answer" }, bStepsInOrder = b.steps.filter { $0.kind != "answer" }
        let bSteps = Dictionary(bStepsInOrder.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let aStepKeys = Set(aSteps.map(\.key))
        for step in aSteps {
            guard let other = bSteps[step.key] else { stepsOnlyInA.append("\(step.key) (line \(step.line))"); continue }
            if other.status != step.status {
                stepStatus.append(Change(name: step.key, a: Self.describe(step), b: Self.describe(other)))
            }
        }
        stepsOnlyInB = bStepsInOrder.filter { !aStepKeys.contains($0.key) }.map { "\($0.key) (line \($0.line))" }
    }

    static func describe(_ step: GradedReport.StepRecord) -> String {
        step.error.map { "\(step.status): \($0)" } ?? step.status
    }
}
