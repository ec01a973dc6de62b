/// The kinds of thing a step can name with `as:` and later steps refer to.
public enum NameKind: String, Sendable, CaseIterable {
    case dataset, model, score
}

/// The type of a key's value, as `check` validates it and `docs/lab-format.md` describes it.
public indirect enum ValueType: Sendable {
    case string
    case integer(min: Int?, max: Int?)
    case number(min: Double?, minInclusive: Bool, max: Double?, maxInclusive: Bool)
    case fraction
    case boolean
    case choice([String])
    case list(ValueType)
    /// One value, or a list of them.
    case oneOrMore(ValueType)
    /// A nested mapping with keys of its own.
    case record(KeySet)
    /// A new name this step defines.
    case definition(NameKind)
    /// A name an earlier step defined.
    case reference(NameKind)
    /// A registered dataset name or a path to data files.
    case datasetSource
    /// A list of classes (labels or class names) of the dataset named by the sibling key.
    case classes(datasetKey: String)
    case layers
    case transform
    /// `{new_name: fraction, ...}`: new datasets and the share of samples each gets.
    case partition
    /// `{parameter: [value, ...]}`: parameters and the values a challenge tries.
    case parameterValues
    /// `{parameter: value, ...}`: parameters and one value each.
    case parameterSettings
    /// `score.metric`, e.g. `recon_prob.auc`.
    case metricPath
    /// `metric op number`, e.g. `auc >= 0.8`.
    case expectation
    /// A number above `min`, or one of the words.
    case numberOrChoice(min: Double, words: [String])
    /// Front matter `params`: `{name: default, ...}`.
    case parameters
}

/// Whether a key must be written, and what it means when it is not.
public enum Requirement: Sendable {
    case required
    case optional(default: String?)
}

/// One key a step (or nested mapping) accepts.
public struct KeySpec: Sendable {
    public let name: String
    public let type: ValueType
    public let requirement: Requirement
    public let summary: String
    /// The key is only meaningful when a sibling key has one of these values (`beta` for a VAE).
    public let onlyWhen: (key: String, values: [String])?

    public init(_ name: String, _ type: ValueType, _ requirement: Requirement, _ summary: String,
                onlyWhen: (key: String, values: [String])? = nil) {
        self.name = name
        self.type = type
        self.requirement = requirement
        self.summary = summary
        self.onlyWhen = onlyWhen
    }

    public var isRequired: Bool { if case .required = requirement { return true }; return false }
}

/// A rule between keys of one mapping.
public enum KeyRule: Sendable {
    /// Exactly one of these keys must be written.
    case exactlyOne([String])
    /// At most one of these keys may be written.
    case atMostOne([String])
    /// When the first key is written, the others must be too.
    case requires(String, [String])
    /// When `key` has one of `values`, the keys in `needs` must be written.
    case whenValue(key: String, values: [String], needs: [String])
}

/// The keys and rules of one mapping: a step body, a nested record, or the front matter.
public struct KeySet: Sendable {
    public let keys: [KeySpec]
    public let rules: [KeyRule]

    public init(_ keys: [KeySpec], rules: [KeyRule] = []) {
        self.keys = keys
        self.rules = rules
    }

    public subscript(name: String) -> KeySpec? { keys.first { $0.name == name } }
}
