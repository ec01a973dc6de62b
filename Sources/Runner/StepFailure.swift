import LabDocument

/// A step that cannot run: the message, and the lab line to point at.
public struct StepFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var line: Int

    public init(_ message: String, line: Int) {
        self.message = message
        self.line = line
    }

    public var description: String { message }
}

/// Typed access to a step's keys, with the schema's defaults, failing with the step's line.
struct StepReader {
    let step: Step

    var line: Int { step.location.line }

    func fail(_ message: String) -> StepFailure { StepFailure(message, line: line) }

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
