/// A submitted report against the run of its own lab again, with the seed, mode and parameters it
/// records. Runs are deterministic, so on one engine and one BLAS kernel set every number must be
/// identical: a difference means the report was edited (even with its digest recomputed), or made
/// by another engine version or kernel set, which the verdict names.
///
/// ```swift
/// let verdict = RerunCheck.verdict(submitted: report, rerun: again)
/// if !verdict.matches { print(verdict.text) }   // "numbers differ from the re-run: s.auc 0.5 (re-run 0.99)"
/// ```
public enum RerunCheck {
    public struct Verdict: Sendable, Equatable, Codable {
        public var matches: Bool
        public var text: String

        public init(matches: Bool, text: String) { self.matches = matches; self.text = text }
    }

    public static func verdict(submitted: GradedReport, rerun: GradedReport) -> Verdict {
        if submitted.labSHA256 != rerun.labSHA256 {
            return Verdict(matches: false, text: "the lab handed in is not the lab this report was made from")
        }
        let exact = Tolerance.defaults.overriding(absolute: 0, relative: 0)
        let comparison = ReportComparison(rerun, submitted, tolerance: exact)
        var differences = comparison.metricsBeyondTolerance.map { "\($0.key) \(ComparisonText.number($0.b)) (re-run \(ComparisonText.number($0.a)))" }
        differences += comparison.metricsOnlyInA.map { "\($0) missing" } + comparison.metricsOnlyInB.map { "\($0) not in the re-run" }
        differences += comparison.outcomes.map { "\($0.key) \(ComparisonText.outcome($0.b)) (re-run \(ComparisonText.outcome($0.a)))" }
        differences += comparison.settings.map { "\($0.name) \($0.b ?? "absent") (re-run \($0.a ?? "absent"))" }
        guard !differences.isEmpty else { return Verdict(matches: true, text: "same numbers on re-run") }
        var causes: [String] = []
        if submitted.engine != rerun.engine { causes.append("made by engine \(submitted.engine), re-run by \(rerun.engine)") }
        if let a = submitted.blas, let b = rerun.blas, a != b { causes.append("made with BLAS \(a), re-run with \(b)") }
        let cause = causes.isEmpty ? "same engine and BLAS kernels: the report was edited" : causes.joined(separator: "; ")
        return Verdict(matches: false, text: "numbers differ from the re-run (\(cause)): " + ClassTable.abbreviated(differences, shown: 3))
    }
}
