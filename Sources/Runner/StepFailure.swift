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
        key.map(step.location(ofKey:)) ?? step.location
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

    // The value written, or the default `LabSchema` declares for the key: the one declaration
    // that check and the generated reference read too. (`DeclaredDefaultTests` checks that each
    // key read this way declares a default of its type.)
    func int(_ key: String) -> Int { step[key]?.integer ?? declared(key, as: Int.init) }
    /// A required key (`check` has seen it written), or a failure naming it.
    func requiredInt(_ key: String) throws -> Int {
        guard let value = step[key]?.integer else { throw fail("missing '\(key)'", key: key) }
        return value
    }
    func number(_ key: String) -> Double { step[key]?.number ?? declared(key, as: Double.init) }
    func bool(_ key: String) -> Bool { step[key]?.boolean ?? declared(key, as: Bool.init) }
    func choice(_ key: String) -> String { step[key]?.scalarText ?? declared(key, as: { $0 }) }

    private func declared<T>(_ key: String, as parse: (String) -> T?) -> T {
        guard let text = LabSchema.declaredDefault(of: key, in: step.kind), let value = parse(text) else {
            preconditionFailure("LabSchema declares no default for '\(key)' of a \(step.kind.rawValue) step that reads as \(T.self)")
        }
        return value
    }

    /// A list of scalars as text (a single scalar counts as a list of one).
    func strings(_ key: String) -> [String] {
        guard let value = step[key] else { return [] }
        return (value.list ?? [value]).compactMap(\.scalarText)
    }
}
