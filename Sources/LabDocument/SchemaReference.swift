import Datasets

/// Writes the key reference of `docs/lab-format.md` from `LabSchema`, so the documentation
/// lists exactly the keys `check` accepts (`swift-lab schema --markdown`).
public enum SchemaReference {
    public static func markdown() -> String {
        var out = ["## Reference", "", "Generated from the checker's schema by `swift-lab schema --markdown`; do not edit by hand.", ""]
        out += section(title: "Front matter", keys: LabSchema.frontMatter)
        for kind in StepKind.allCases {
            out += section(title: "`swift-lab \(kind.rawValue)`", keys: kind.keys)
        }
        out += ["### Plot kinds and what they need", "", "| kind | needs | draws |", "| --- | --- | --- |"]
        for kind in PlotKind.allCases {
            out.append("| `\(kind.rawValue)` | \(kind.needs.map { "`\($0)`" }.joined(separator: ", ")) | \(kind.summary) |")
        }
        out += ["", "### Registered datasets", "", "| name | classes |", "| --- | --- |"]
        for dataset in DatasetCatalog.all {
            let classes = dataset.classNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
            out.append("| `\(dataset.name)` | \(classes) |")
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    private static func section(title: String, keys: KeySet, level: String = "###") -> [String] {
        var out = ["\(level) \(title)", "", "| key | type | required / default | meaning |", "| --- | --- | --- | --- |"]
        var nested: [(String, KeySet)] = []
        for spec in keys.keys {
            let requirement: String
            switch spec.requirement {
            case .required: requirement = "**required**"
            case .optional(let value?): requirement = value.hasPrefix("`") || value.contains(" ") ? value : "`\(value)`"
            case .optional(nil): requirement = "optional"
            }
            var meaning = spec.summary
            if let condition = spec.onlyWhen {
                meaning += " Only with " + condition.values.map { "`\(condition.key): \($0)`" }.joined(separator: " or ") + "."
            }
            out.append("| `\(spec.name)` | \(describe(spec.type)) | \(requirement) | \(meaning) |")
            if case .record(let inner) = spec.type { nested.append((spec.name, inner)) }
        }
        out.append("")
        if !keys.rules.isEmpty {
            out += keys.rules.map { "- " + describe($0) }
            out.append("")
        }
        for (name, inner) in nested {
            out += section(title: "\(title) → `\(name)`", keys: inner, level: "####")
        }
        return out
    }

    static func describe(_ type: ValueType) -> String {
        switch type {
        case .string: return "text"
        case .integer(let min, let max):
            switch (min, max) {
            case let (min?, max?): return "integer \(min)–\(max)"
            case let (min?, nil): return "integer ≥ \(min)"
            default: return "integer"
            }
        case .number(let min, let minInclusive, let max, let maxInclusive):
            var parts: [String] = []
            if let min { parts.append("\(minInclusive ? "≥" : ">") \(ValueFormat.number(min))") }
            if let max { parts.append("\(maxInclusive ? "≤" : "<") \(ValueFormat.number(max))") }
            return (["number"] + parts).joined(separator: " ")
        case .fraction: return "fraction 0–1"
        case .boolean: return "`true` / `false`"
        case .choice(let words): return words.map { "`\($0)`" }.joined(separator: " \\| ")
        case .list(let element): return "list of \(describe(element))"
        case .oneOrMore(let element): return "\(describe(element)), or a list"
        case .record: return "mapping (below)"
        case .definition(let kind): return "new \(kind.rawValue) name"
        case .reference(let kind): return "\(kind.rawValue) name"
        case .datasetSource: return "dataset name or path"
        case .classes(let key): return "class labels or names of `\(key)`"
        case .layers: return "layer"
        case .transform: return "transform"
        case .partition: return "mapping of new names to fractions"
        case .parameterValues: return "mapping of parameters to lists"
        case .parameterSettings: return "mapping of parameters to values"
        case .metricPath: return "`score.metric`"
        case .expectation: return "`metric op number`"
        case .numberOrChoice(let min, let words): return "number > \(ValueFormat.number(min)) or " + words.map { "`\($0)`" }.joined(separator: ", ")
        case .parameters: return "mapping of names to defaults"
        }
    }

    static func describe(_ rule: KeyRule) -> String {
        func quoted(_ names: [String]) -> String { names.map { "`\($0)`" }.joined(separator: ", ") }
        switch rule {
        case .exactlyOne(let names): return "Exactly one of \(quoted(names))."
        case .atMostOne(let names): return "At most one of \(quoted(names))."
        case .requires(let key, let needs): return "`\(key)` needs \(quoted(needs))."
        case .whenValue(let key, let values, let needs):
            let quotedValues = values.map { "`\($0)`" }
            let alternatives = quotedValues.count > 1 ? quotedValues.dropLast().joined(separator: ", ") + " or " + quotedValues.last! : quotedValues.joined()
            return "When `\(key)` is \(alternatives): \(quoted(needs)) must be given."
        }
    }

    /// Every key name the checker accepts, per section, for keeping the documentation in step.
    public static func keyNames() -> [String: [String]] {
        var result = ["front matter": LabSchema.frontMatter.keys.map(\.name)]
        for kind in StepKind.allCases {
            result[kind.rawValue] = kind.keys.keys.map(\.name)
            for spec in kind.keys.keys {
                if case .record(let inner) = spec.type { result["\(kind.rawValue).\(spec.name)"] = inner.keys.map(\.name) }
            }
        }
        return result
    }
}
