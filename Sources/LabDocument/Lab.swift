/// A parsed lab: front matter, then prose and steps in document order.
///
/// ```swift
/// let (lab, diagnostics) = LabParser.parse(file: "Labs/004-conv-autoencoder-digits.md")
/// for step in lab?.steps ?? [] { print(step.kind, step.location) }
/// ```
public struct Lab: Sendable {
    /// The path as the user gave it; diagnostics and the report name the file this way.
    public var path: String
    public var title: String
    public var seed: Int
    public var description: String?
    /// Who hands the lab in (the front matter's `student:`), recorded in the report for grading.
    public var student: String?
    /// Parameters in the order the front matter declares them, with `--set` overrides applied.
    public var parameters: [Parameter]
    public var cells: [Cell]
    /// The whole file, for checksums and for showing step sources.
    public var source: String
    /// The local images the prose shows, as `data:` URIs by the URL written (`ProseImages`).
    public var images: [String: String] = [:]

    public var steps: [Step] {
        cells.compactMap { if case .step(let step) = $0 { return step }; return nil }
    }
}

/// A `params` entry of the front matter.
public struct Parameter: Sendable, Equatable {
    public var name: String
    /// The value in force: the default, or the `--set` override.
    public var value: LabValue
    public var defaultValue: LabValue
    public var isOverridden: Bool { value != defaultValue }
}

/// A piece of the lab in document order.
public enum Cell: Sendable {
    case prose(Prose)
    case step(Step)
}

/// Markdown between steps, kept as source so the report can render it with cmark.
public struct Prose: Sendable {
    public var markdown: String
    public var firstLine: Int
}

/// A fenced `swift-lab <kind>` block.
public struct Step: Sendable {
    public var kind: StepKind
    /// Position of the opening fence.
    public var location: SourceLocation
    /// 0-based position among the lab's steps.
    public var index: Int
    /// The body as written, before `${name}` substitution.
    public var source: String
    /// The body after substitution, as a mapping (empty when it could not be read).
    public var body: LabValue

    /// The value written for `key`, if any.
    public subscript(key: String) -> LabValue? { body[key] }

    /// Where `key` is written in this step, or the step's fence when it is not written: where
    /// an error about the key points.
    public func location(ofKey key: String) -> SourceLocation {
        body.mapping?.first { $0.key == key }?.keyLocation ?? location
    }

    /// The name this step defines with `as:`.
    public var name: String? { body["as"]?.string }
}
