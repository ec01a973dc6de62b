import LabDocument

/// A step that cannot run: the message, the lab line, and the key of the step that caused it,
/// which the error points at (`path:line:column:`); without a key it points at the step's fence.
public struct StepFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var line: Int
    public var key: String?

    public init(_ message: String, line: Int, key: String? = nil) {
        self.message = message
        self.line = line
        self.key = key
    }

    /// Where to point in the lab: the key's position in `step`, or the step's fence.
    func location(in step: Step) -> SourceLocation {
        key.flatMap { key in step.body.mapping?.first { $0.key == key }?.keyLocation } ?? step.location
    }

    public var description: String { message }
}

/// Typed access to a step's keys, with the schema's defaults, failing with the step's line.
struct StepReader {
    let step: Step

    var line: Int { step.location.line }

    func fail(_ message: String, key: String? = nil) -> StepFailure { StepFailure(message, line: line, key: key) }

    func value(_ key: String) -> LabValue? { step[key] }

    func string(_ key: String) throws -> String {
        guard let text = step[key]?.scalarText else { throw fail("missing '\(key)'") }
        return text
    }

    func string(_ key: String, default fallback: String) -> String { step[key]?.scalarText ?? fallback }
    func optionalString(_ key: String) -> String? { step[key]?.scalarText }
    func int(_ key: String, default fallback: Int) -> Int { step[key]?.integer ?? fallback }
    func optionalInt(_ key: String) -> Int? { step[key]?.integer }
    func number(_ key: String, default fallback: Double) -> Double { step[key]?.number ?? fallback }
    func optionalNumber(_ key: String) -> Double? { step[key]?.number }
    func bool(_ key: String, default fallback: Bool) -> Bool { step[key]?.boolean ?? fallback }

    /// A list of scalars as text (a single scalar counts as a list of one).
    func strings(_ key: String) -> [String] {
        guard let value = step[key] else { return [] }
        return (value.list ?? [value]).compactMap(\.scalarText)
    }
}
