import Foundation

/// Reads a lab file into a `Lab` and reports every problem it finds, without running anything.
///
/// ```swift
/// let result = LabParser.parse(file: "Labs/001-autoencoder-mnist.md", overrides: ["epochs": "2"])
/// result.diagnostics.forEach { print($0) }      // Labs/001-...md:40:9: error: ...
/// if let lab = result.lab, result.diagnostics.isEmpty { /* run it */ }
/// ```
public enum LabParser {
    public struct Result: Sendable {
        /// Nil only when the file could not be read as text at all.
        public var lab: Lab?
        public var diagnostics: [Diagnostic]
        /// The front matter could not be read far enough to know the lab's parameters (never
        /// closed, not YAML, `params` not a mapping): its errors are the only diagnostics, and
        /// `lab.parameters` is empty whatever the file declares.
        public var parametersUnknown = false
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Parses the file at `path`. `overrides` are `--set name=value` pairs, values as typed.
    public static func parse(file path: String, overrides: [(String, String)] = []) -> Result {
        var sink = DiagnosticSink(file: path)
        guard let text = LabText.read(path: path, sink: &sink) else {
            return Result(lab: nil, diagnostics: sink.diagnostics)
        }
        return parse(text: text, path: path, overrides: overrides, sink: sink, readingImages: true)
    }

    /// Parses lab text that did not come from a file (tests, editors).
    public static func parse(text: String, path: String, overrides: [(String, String)] = []) -> Result {
        parse(text: text, path: path, overrides: overrides, sink: DiagnosticSink(file: path))
    }

    /// `readingImages`: read the local images the prose shows (`ProseImages`), from the folder of
    /// a lab that is a file.
    private static func parse(text rawText: String, path: String, overrides: [(String, String)], sink: DiagnosticSink, readingImages: Bool = false) -> Result {
        var sink = sink
        let text = normalisingLineEndings(rawText)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        let front = FrontMatter.read(lines: lines, sink: &sink)
        // Without the front matter's parameters, every `${name}` in the steps (and the YAML around
        // it) would be reported as broken: one cause, a screenful of errors. Its own errors are
        // reported alone; the steps are checked once it reads.
        let frontMatterDiagnostics = front.parametersUnknown ? sink.diagnostics : nil
        // Blank the front matter out so cmark sees prose only and line numbers stay the same.
        for i in 0..<front.lineCount { lines[i] = "" }

        let parameters = ParameterTable(declared: front.parameters, overrides: overrides, sink: &sink)
        let substitutionValues = Dictionary(uniqueKeysWithValues: parameters.parameters.map { ($0.name, $0.value) })
        let validator = SchemaValidator(parameterNames: parameters.parameters.map(\.name))

        var cells: [Cell] = []
        var steps: [Step] = []
        for piece in MarkdownScanner.scan(lines.joined(separator: "\n"), sink: &sink) {
            switch piece {
            case .prose(let first, let last):
                // Clamped: a position cmark reports outside the file must not trap.
                let lower = min(max(first, 1), lines.count), upper = min(max(last, lower), lines.count)
                let markdown = lines[(lower - 1)..<upper].joined(separator: "\n")
                cells.append(.prose(Prose(markdown: markdown, firstLine: first)))
            case .fence(let fence):
                guard let kind = stepKind(of: fence, sink: &sink) else { continue }
                let step = readStep(fence, kind: kind, index: steps.count, parameters: substitutionValues, validator: validator, sink: &sink)
                steps.append(step)
                cells.append(.step(step))
            }
        }
        if steps.isEmpty && !sink.hasErrors {
            sink.error("the lab has no steps; write fenced blocks such as ```swift-lab load", at: nil)
        }

        var names = NameChecker(steps: steps)
        for step in steps { names.check(step, sink: &sink) }
        for step in steps where step.kind == .challenge { parameters.checkChallengeValues(in: step, sink: &sink) }
        AnswerChecker.check(steps, sink: &sink)
        for step in steps where step.kind == .todo {
            if let task = step["task"]?.string { sink.toComplete(task, at: step.location) }
        }

        let lab = Lab(path: path,
                      title: front.title ?? firstHeading(in: lines) ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                      seed: front.seed ?? 0,
                      description: front.description,
                      student: front.student,
                      parameters: parameters.parameters,
                      cells: cells,
                      source: text)
        var labWithImages = lab
        if readingImages {
            labWithImages.images = ProseImages.load(markdown: lines.joined(separator: "\n"), labPath: path, sink: &sink)
        }
        let ordered = (frontMatterDiagnostics ?? sink.diagnostics).enumerated().sorted { a, b in
            let la = a.element.location ?? SourceLocation(line: 0, column: 0)
            let lb = b.element.location ?? SourceLocation(line: 0, column: 0)
            return la == lb ? a.offset < b.offset : la < lb
        }.map(\.element)
        return Result(lab: labWithImages, diagnostics: ordered, parametersUnknown: front.parametersUnknown)
    }

    private static func stepKind(of fence: MarkdownScanner.Fence, sink: inout DiagnosticSink) -> StepKind? {
        let words = MarkdownScanner.words(of: fence.info)
        let kinds = StepKind.allCases.map(\.rawValue)
        guard words.count >= 2 else {
            sink.error("missing step kind after 'swift-lab'; write one of: \(kinds.joined(separator: ", "))", at: fence.location)
            return nil
        }
        guard let kind = StepKind(rawValue: words[1]) else {
            sink.error("unknown step kind '\(words[1])'\(Suggestion.hint(for: words[1], in: kinds)) (kinds: \(kinds.joined(separator: ", ")))", at: fence.location)
            return nil
        }
        if words.count > 2 {
            sink.error("unexpected '\(words[2])' after 'swift-lab \(kind.rawValue)'; options go in the step body", at: fence.location)
        }
        return kind
    }

    private static func readStep(_ fence: MarkdownScanner.Fence, kind: StepKind, index: Int,
                                 parameters: [String: LabValue], validator: SchemaValidator,
                                 sink: inout DiagnosticSink) -> Step {
        let shift = fence.indent
        let firstLine = fence.bodyFirstLine
        let (substituted, substitutions) = Substitutions.apply(
            to: fence.body, parameters: parameters,
            location: { SourceLocation(line: firstLine + $0 - 1, column: $1 + shift) }, sink: &sink)
        let placement = SnippetPlacement(firstLine: firstLine, columnShift: shift, substitutions: substitutions)
        let what = "the '\(kind.rawValue)' step"
        let body = YAMLReader.parse(substituted, placement: placement, sink: &sink)
        if let body {
            validator.validate(body, against: kind.keys, what: what, at: fence.location, sink: &sink)
        }
        return Step(kind: kind, location: fence.location, index: index, source: fence.body,
                    body: body?.mapping != nil ? body! : LabValue(.mapping([]), at: fence.location))
    }

    /// `\r\n` and a lone `\r` become `\n`, as cmark reads them, so that the lines counted here
    /// are the lines cmark numbers. Works on scalars: "\r\n" is one Character, not two.
    public static func normalisingLineEndings(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
            previousWasCR = scalar == "\r"
            scalars.append(previousWasCR ? "\n" : scalar)
        }
        return String(scalars)
    }

    private static func firstHeading(in lines: [String]) -> String? {
        lines.first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
    }
}
