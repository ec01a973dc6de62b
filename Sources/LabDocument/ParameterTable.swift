/// The front matter's `params` with `--set name=value` overrides applied and type-checked.
struct ParameterTable {
    private(set) var parameters: [Parameter] = []

    init(declared: [LabEntry], overrides: [(String, String)], sink: inout DiagnosticSink) {
        for entry in declared {
            guard Names.isValid(entry.key), !entry.key.contains("-") else {
                sink.error("'\(entry.key)' is not a valid parameter name: use letters, digits and '_', starting with a letter", at: entry.keyLocation)
                continue
            }
            guard Self.isParameterValue(entry.value) else {
                sink.error("parameter '\(entry.key)' must have a number, text, true/false or a list of those as its default, not \(entry.value.typeDescription)", at: entry.value.location)
                continue
            }
            guard !Self.refersToParameters(entry.value) else {
                sink.error("the default of '\(entry.key)' contains '${': parameters are not substituted into each other, so it would reach the steps as written", at: entry.value.location)
                continue
            }
            parameters.append(Parameter(name: entry.key, value: entry.value, defaultValue: entry.value))
        }
        for (name, text) in overrides {
            guard let index = parameters.firstIndex(where: { $0.name == name }) else {
                let hint = Suggestion.hint(for: name, in: parameters.map(\.name))
                sink.error("--set \(name)=\(text): the lab has no parameter '\(name)'\(hint)", at: nil)
                continue
            }
            let declared = parameters[index].defaultValue
            guard let value = Self.value(of: text, at: declared.location, like: declared) else {
                sink.error("--set \(name)=\(text): '\(name)' expects \(declared.typeDescription) like its default \(declared.yamlText)", at: nil)
                continue
            }
            guard !Self.refersToParameters(value) else {
                sink.error("--set \(name)=\(text): parameters are not substituted into each other, so '${' would reach the steps as written", at: nil)
                continue
            }
            parameters[index].value = value
        }
    }

    private static func refersToParameters(_ value: LabValue) -> Bool {
        if let items = value.list { return items.contains(where: refersToParameters) }
        return value.string?.contains("${") ?? false
    }

    private static func isParameterValue(_ value: LabValue) -> Bool {
        switch value.kind {
        case .mapping, .null: return false
        case .list(let items): return items.allSatisfy { $0.list == nil && $0.mapping == nil }
        default: return true
        }
    }

    /// Reads an override as YAML and accepts it when it has the default's type (integers pass
    /// for numbers, anything for text).
    /// Checks the values a challenge gives parameters (`vary`, `with`) as `--set` values are
    /// checked: each must have its parameter's type, so no value fails only when its turn comes.
    func checkChallengeValues(in step: Step, sink: inout DiagnosticSink) {
        for key in ["vary", "with"] {
            for entry in step[key]?.mapping ?? [] {
                guard let declared = parameters.first(where: { $0.name == entry.key })?.defaultValue else { continue }
                for value in entry.value.list ?? [entry.value] {
                    guard let text = value.scalarText else { continue }
                    if Self.value(of: text, at: value.location, like: declared) == nil {
                        sink.error("'\(entry.key)' expects \(declared.typeDescription) like its default \(declared.yamlText), got \(text)", at: value.location)
                    }
                }
            }
        }
    }

    static func value(of text: String, at location: SourceLocation, like declared: LabValue) -> LabValue? {
        var sink = DiagnosticSink.discard
        let placement = SnippetPlacement(firstLine: location.line, columnShift: 0, substitutions: nil)
        guard let parsed = YAMLReader.parse(text, placement: placement, sink: &sink) else { return nil }
        var value = LabValue(parsed.kind, at: location)
        switch (declared.kind, parsed.kind) {
        case (.integer, .integer), (.boolean, .boolean), (.number, .number), (.list, .list): return value
        case (.number, .integer(let i)): value.kind = .number(Double(i)); return value
        case (.string, _): return value.scalarText.map { LabValue(.string($0), at: location) }
        default: return nil
        }
    }
}
