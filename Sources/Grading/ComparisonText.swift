import Datasets
import Foundation

/// A comparison as text for a terminal, or as JSON for tools.
///
/// ```swift
/// print(ComparisonText.summary(ReportComparison(a, b)))
/// ```
public enum ComparisonText {
    public static func summary(_ c: ReportComparison) -> String {
        var lines = ["A: \(c.a.path)", "B: \(c.b.path)"]
        lines.append(c.sameLab ? "lab: the same (\(c.a.lab), sha256 \(c.a.labSHA256.prefix(12)))"
                               : "lab: DIFFERENT files (A \(c.a.lab), sha256 \(c.a.labSHA256.prefix(12)); B \(c.b.lab), sha256 \(c.b.labSHA256.prefix(12)))")
        if !c.settings.isEmpty {
            lines.append("settings that differ:")
            lines += c.settings.map { "  \($0.name): \($0.a ?? "(absent)") → \($0.b ?? "(absent)")" }
        }
        let beyond = c.metricsBeyondTolerance
        if !beyond.isEmpty {
            lines.append("metrics beyond tolerance:")
            lines += beyond.map { "  \($0.key): \(number($0.a)) → \(number($0.b)) (difference \(signed($0.b - $0.a)))" }
        }
        let moved = c.metrics.filter { $0.withinTolerance && $0.a != $0.b }
        if !moved.isEmpty {
            lines.append("metrics that moved within tolerance:")
            lines += moved.map { "  \($0.key): \(number($0.a)) → \(number($0.b))" }
        }
        let same = c.metrics.filter { $0.a == $0.b }.count
        lines.append("metrics: \(c.metrics.count) compared, \(same) identical, \(moved.count) within tolerance, \(beyond.count) beyond")
        if !c.metricsOnlyInA.isEmpty { lines.append("metrics only in A: " + c.metricsOnlyInA.joined(separator: ", ")) }
        if !c.metricsOnlyInB.isEmpty { lines.append("metrics only in B: " + c.metricsOnlyInB.joined(separator: ", ")) }
        if !c.outcomes.isEmpty {
            lines.append("challenge outcomes that differ:")
            lines += c.outcomes.map { "  \($0.key), expect \($0.expectation): \(outcome($0.a)) → \(outcome($0.b))" }
        }
        if !c.stepsOnlyInA.isEmpty { lines.append("steps only in A: " + c.stepsOnlyInA.joined(separator: ", ")) }
        if !c.stepsOnlyInB.isEmpty { lines.append("steps only in B: " + c.stepsOnlyInB.joined(separator: ", ")) }
        if !c.stepStatus.isEmpty {
            lines.append("steps whose outcome differs:")
            lines += c.stepStatus.map { "  \($0.name): \($0.a ?? "-") → \($0.b ?? "-")" }
        }
        if c.a.engine != c.b.engine { lines.append("note: engine \(c.a.engine) → \(c.b.engine)") }
        if let cpuA = c.a.cpu, let cpuB = c.b.cpu, cpuA != cpuB { lines.append("note: CPU \(cpuA) → \(cpuB)") }
        if let blasA = c.a.blas, let blasB = c.b.blas, blasA != blasB { lines.append("note: BLAS \(blasA) → \(blasB)") }
        if !c.answers.isEmpty {
            lines.append("answers (not compared):")
            lines += c.answers.map { "  \($0.question): A \(wordCount($0.a)), B \(wordCount($0.b))" }
        }
        lines.append(c.isEqual ? "verdict: equal within tolerance" : "verdict: the reports differ")
        // Paths, names and values come from the submissions: each line shown, never obeyed, and a
        // line break inside a value cannot forge a line such as the verdict.
        return lines.map { TerminalText.escaped($0) }.joined(separator: "\n")
    }

    public static func json(_ c: ReportComparison) throws -> String {
        func change(_ x: ReportComparison.Change) -> [String: Any] { ["name": x.name, "a": x.a ?? NSNull(), "b": x.b ?? NSNull()] }
        let object: [String: Any] = [
            "a": c.a.path, "b": c.b.path, "equal": c.isEqual, "same_lab": c.sameLab,
            "lab": ["a": c.a.labSHA256, "b": c.b.labSHA256],
            "settings": c.settings.map(change),
            "metrics": c.metrics.map { ["key": $0.key, "metric": $0.metric, "a": $0.a, "b": $0.b, "within_tolerance": $0.withinTolerance] as [String: Any] },
            "metrics_only_in_a": c.metricsOnlyInA, "metrics_only_in_b": c.metricsOnlyInB,
            "challenge_outcomes": c.outcomes.map { ["key": $0.key, "expect": $0.expectation, "a": $0.a ?? NSNull(), "b": $0.b ?? NSNull()] as [String: Any] },
            "steps_only_in_a": c.stepsOnlyInA, "steps_only_in_b": c.stepsOnlyInB,
            "step_status": c.stepStatus.map(change),
            "engine": ["a": c.a.engine, "b": c.b.engine],
            "answers": c.answers.map { ["question": $0.question, "a": $0.a ?? NSNull(), "b": $0.b ?? NSNull()] as [String: Any] },
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    /// An answer in a line: its length, not its text (which may run to pages).
    static func wordCount(_ text: String?) -> String {
        guard let text else { return "none" }
        let words = text.split(whereSeparator: \.isWhitespace).count
        return words == 0 ? "empty" : words == 1 ? "1 word" : "\(words) words"
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + String(format: "%.3g", x) }

    static func outcome(_ passed: Bool?) -> String { passed.map { $0 ? "pass" : "fail" } ?? "absent" }
}
