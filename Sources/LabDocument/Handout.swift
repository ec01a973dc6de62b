import Foundation

/// The student's copy of an instructor's lab: every solution removed, with a `todo` step where
/// the student completes it, and every answer emptied. The instructor's lab stays the one source.
///
/// Solutions are marked in the lab with two HTML comments on lines of their own (reports drop
/// raw HTML, so the instructor's own report does not show them):
///
/// ```markdown
/// <!-- solution: Train an autoencoder on the normal digits, as `ae`. -->
/// ```swift-lab train
/// ...
/// as: ae
/// ```
/// <!-- end solution -->
/// ```
///
/// ```swift
/// let (text, diagnostics) = Handout.make(text: source, path: "Labs/001.md")
/// // text: the lab with `swift-lab todo` {task: Train an autoencoder ..., models: [ae]} in place of the step
/// ```
public enum Handout {
    static let endMarker = "<!-- end solution -->"
    static let defaultTask = "Complete this part of the lab."

    /// The handout's text, or nil with the diagnostics (errors of the lab or of its markers).
    public static func make(text: String, path: String) -> (String?, [Diagnostic]) {
        let parsed = LabParser.parse(text: text, path: path)
        guard let lab = parsed.lab, !parsed.hasErrors else { return (nil, parsed.diagnostics) }
        var sink = DiagnosticSink(file: path)
        let lines = lab.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line numbers (1-based) inside a step's fences: a marker there is the step's text, not a marker.
        var fenced: [Int: Step] = [:]
        var bodies: [Int: Step] = [:]
        for step in lab.steps {
            let count = step.source.split(separator: "\n", omittingEmptySubsequences: false).count - (step.source.hasSuffix("\n") ? 1 : 0)
            for line in step.location.line...(step.location.line + count + 1) { fenced[line] = step }
            bodies[step.location.line] = step
        }
        var out: [String] = []
        var open: (line: Int, task: String, steps: [Step])?
        var lineNumber = 0
        while lineNumber < lines.count {
            let line = lines[lineNumber]
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if fenced[lineNumber] == nil, let task = startMarker(trimmed) {
                if let open { sink.error("a solution is already open (line \(open.line)); close it with \(endMarker) first", at: SourceLocation(line: lineNumber, column: 1)) }
                else { open = (lineNumber, task, []) }
                continue
            }
            if fenced[lineNumber] == nil, trimmed == endMarker {
                guard let region = open else {
                    sink.error("\(endMarker) without a solution to end", at: SourceLocation(line: lineNumber, column: 1))
                    continue
                }
                out += placeholder(task: region.task, defining: region.steps)
                open = nil
                continue
            }
            if open != nil {
                if let step = bodies[lineNumber] { open!.steps.append(step) }
                continue
            }
            // An answer goes out empty: its question only, for the student to answer.
            if let step = bodies[lineNumber], step.kind == .answer {
                let count = step.source.split(separator: "\n", omittingEmptySubsequences: false).count - (step.source.hasSuffix("\n") ? 1 : 0)
                out += [line, "question: \(step["question"]?.scalarText ?? "")"]
                lineNumber += count
                continue
            }
            out.append(line)
        }
        if let open { sink.error("solution opened here is never closed with \(endMarker)", at: SourceLocation(line: open.line, column: 1)) }
        if sink.hasErrors { return (nil, sink.diagnostics) }
        return (out.joined(separator: "\n"), [])
    }

    /// The task of `<!-- solution -->` or `<!-- solution: TASK -->`; nil for any other line.
    static func startMarker(_ line: String) -> String? {
        guard line.hasPrefix("<!--"), line.hasSuffix("-->") else { return nil }
        let inside = line.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard inside == "solution" || inside.hasPrefix("solution:") else { return nil }
        let task = inside.dropFirst("solution".count).drop { $0 == ":" }.trimmingCharacters(in: .whitespaces)
        return task.isEmpty ? defaultTask : task
    }

    /// A `todo` step naming what the removed steps defined, so that the steps after it still check.
    static func placeholder(task: String, defining steps: [Step]) -> [String] {
        var lines = ["```swift-lab todo", "task: " + LabValue(.string(task), at: SourceLocation(line: 1, column: 1)).substitutionText]
        let names = steps.flatMap { NameChecker.definitions(in: $0) }
        for (key, kind) in [("datasets", NameKind.dataset), ("models", .model), ("scores", .score)] {
            let defined = names.filter { $0.2 == kind }.map(\.0)
            if !defined.isEmpty { lines.append("\(key): [\(defined.joined(separator: ", "))]") }
        }
        return lines + ["```"]
    }
}
