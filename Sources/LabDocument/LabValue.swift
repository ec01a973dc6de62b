/// A YAML value from a step body or the front matter, with where it was written.
///
/// Steps keep their values in this form so that later stages (the interpreter, the report) can
/// still point at the line an instructor wrote.
public struct LabValue: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case null
        case boolean(Bool)
        case integer(Int)
        case number(Double)
        case string(String)
        case list([LabValue])
        case mapping([LabEntry])
    }

    public var kind: Kind
    public var location: SourceLocation
    /// The parameter whose value was substituted here (`${name}`), if the value came from one.
    public var parameter: String?

    public init(_ kind: Kind, at location: SourceLocation, parameter: String? = nil) {
        self.kind = kind
        self.location = location
        self.parameter = parameter
    }

    public var string: String? { if case .string(let s) = kind { return s }; return nil }
    public var integer: Int? { if case .integer(let i) = kind { return i }; return nil }
    public var boolean: Bool? { if case .boolean(let b) = kind { return b }; return nil }
    public var list: [LabValue]? { if case .list(let l) = kind { return l }; return nil }
    public var mapping: [LabEntry]? { if case .mapping(let m) = kind { return m }; return nil }

    /// Integers read as numbers too, as YAML authors expect (`fraction: 1`).
    public var number: Double? {
        switch kind {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    /// The value in a mapping under `key`, if this is a mapping that has it.
    public subscript(key: String) -> LabValue? {
        mapping?.first { $0.key == key }?.value
    }

    /// A scalar written back as text (for messages and for `${name}` substitution).
    public var scalarText: String? {
        switch kind {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return "\(d)"
        case .string(let s): return s
        case .list, .mapping: return nil
        }
    }

    /// The value as YAML text: scalars as written, lists and mappings in flow style. This is
    /// what `${name}` pastes into a step and how reports show parameters.
    public var yamlText: String {
        switch kind {
        case .list(let items): return "[" + items.map(\.yamlText).joined(separator: ", ") + "]"
        case .mapping(let entries): return "{" + entries.map { "\($0.key): \($0.value.yamlText)" }.joined(separator: ", ") + "}"
        default: return scalarText ?? ""
        }
    }

    /// The value as `${name}` pastes it into a step: like `yamlText`, but text that YAML would
    /// read as more than one scalar (a newline, `: `, `,`, `#`, brackets, quotes...) is written as
    /// a double-quoted string, so a parameter's value can never add a key or an item to a step.
    var substitutionText: String {
        switch kind {
        case .list(let items): return "[" + items.map(\.substitutionText).joined(separator: ", ") + "]"
        case .mapping: return yamlText
        case .string(let text): return Self.isPlainSafe(text) ? text : Self.doubleQuoted(text)
        default: return scalarText ?? ""
        }
    }

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first != " ", last != " ", text != "-", !text.hasPrefix("- ") else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " ._-/+".unicodeScalars.contains(scalar)
        }
    }

    private static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// A short description of what kind of value this is, for "expected X, got Y" messages.
    public var typeDescription: String {
        switch kind {
        case .null: return "nothing"
        case .boolean: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// One `key: value` pair of a mapping, with where the key was written.
public struct LabEntry: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: LabValue

    public init(key: String, keyLocation: SourceLocation, value: LabValue) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
