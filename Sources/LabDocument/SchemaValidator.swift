/// Checks one mapping against a `KeySet`: unknown keys, missing keys, value types and ranges,
/// and the rules between keys. Every problem is reported; checking goes on after each.
struct SchemaValidator {
    /// Names of the lab's parameters, for `vary:`.
    let parameterNames: [String]

    func validate(_ value: LabValue, against keys: KeySet, what: String, at location: SourceLocation, sink: inout DiagnosticSink) {
        guard let entries = value.mapping else {
            if value.kind == .null {
                let required = keys.keys.filter(\.isRequired).map { "'\($0.name)'" }
                sink.error("\(what) is empty; it needs the key\(required.count == 1 ? "" : "s") \(required.joined(separator: ", "))", at: location)
            } else {
                sink.error("\(what) must be a YAML mapping of 'key: value' lines, not \(value.typeDescription)", at: value.location)
            }
            return
        }
        let known = keys.keys.map(\.name)
        for entry in entries {
            guard let spec = keys[entry.key] else {
                sink.error("unknown key '\(entry.key)' in \(what)\(Suggestion.hint(for: entry.key, in: known))", at: entry.keyLocation)
                continue
            }
            if let condition = spec.onlyWhen {
                let actual = value[condition.key]?.string ?? defaultWord(of: keys[condition.key])
                if actual.map({ !condition.values.contains($0) }) ?? true {
                    let wanted = condition.values.map { "\(condition.key): \($0)" }.joined(separator: " or ")
                    sink.error("'\(entry.key)' applies only with \(wanted)", at: entry.keyLocation)
                    continue
                }
            }
            check(entry.value, is: spec.type, key: entry.key, sink: &sink)
        }
        for spec in keys.keys where spec.isRequired && value[spec.name] == nil {
            sink.error("missing required key '\(spec.name)' in \(what)", at: location)
        }
        for rule in keys.rules {
            apply(rule, to: value, entries: entries, what: what, at: location, sink: &sink)
        }
    }

    private func defaultWord(of spec: KeySpec?) -> String? {
        guard case .optional(let text?)? = spec?.requirement else { return nil }
        return text
    }

    private func apply(_ rule: KeyRule, to value: LabValue, entries: [LabEntry], what: String,
                       at location: SourceLocation, sink: inout DiagnosticSink) {
        func quoted(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
        switch rule {
        case .exactlyOne(let names), .atMostOne(let names):
            let present = entries.filter { names.contains($0.key) }
            if present.count > 1 {
                sink.error("'\(present[0].key)' and '\(present[1].key)' cannot be used together; \(what) takes one of \(quoted(names))", at: present[1].keyLocation)
            } else if present.isEmpty, case .exactlyOne = rule {
                sink.error("\(what) needs one of \(quoted(names))", at: location)
            }
        case .requires(let key, let needs):
            guard let entry = entries.first(where: { $0.key == key }) else { return }
            for need in needs where value[need] == nil {
                sink.error("missing key '\(need)', which '\(key)' needs", at: entry.keyLocation)
            }
        case .whenValue(let key, let values, let needs):
            guard let entry = entries.first(where: { $0.key == key }), let word = entry.value.string, values.contains(word) else { return }
            for need in needs where value[need] == nil {
                sink.error("missing key '\(need)', which \(key): \(word) needs", at: entry.keyLocation)
            }
        }
    }

    /// Checks a value against a type; reports and returns false when it does not fit.
    @discardableResult
    func check(_ value: LabValue, is type: ValueType, key: String, sink: inout DiagnosticSink) -> Bool {
        // An unresolved `${name}` was reported already; do not pile type errors on it.
        if let text = value.string, text.contains("${") { return false }
        let origin = value.parameter.map { " (from ${\($0)})" } ?? ""
        func fail(_ message: String) -> Bool {
            sink.error(message + origin, at: value.location)
            return false
        }
        let shown = value.string.map { "'\($0)'" } ?? value.scalarText ?? value.typeDescription

        switch type {
        case .string:
            guard value.scalarText != nil, value.kind != .null else { return fail("'\(key)' expects text, got \(value.typeDescription)") }
            return true
        case .integer(let min, let max):
            guard let n = value.integer else { return fail("'\(key)' expects a whole number, got \(shown)") }
            if let min, n < min { return fail("'\(key)' must be at least \(min), got \(n)") }
            if let max, n > max { return fail("'\(key)' must be at most \(max), got \(n)") }
            return true
        case .number(let min, let minInclusive, let max, let maxInclusive):
            guard let x = value.number, x.isFinite else { return fail("'\(key)' expects a number, got \(shown)") }
            if let min, minInclusive ? x < min : x <= min {
                return fail("'\(key)' must be \(minInclusive ? "at least" : "above") \(ValueFormat.number(min)), got \(shown)")
            }
            if let max, maxInclusive ? x > max : x >= max {
                return fail("'\(key)' must be \(maxInclusive ? "at most" : "below") \(ValueFormat.number(max)), got \(shown)")
            }
            return true
        case .fraction:
            guard let x = value.number else { return fail("'\(key)' expects a fraction between 0 and 1, got \(shown)") }
            guard x >= 0, x <= 1 else { return fail("'\(key)' must be a fraction between 0 and 1, got \(shown)") }
            return true
        case .boolean:
            guard value.boolean != nil else { return fail("'\(key)' expects true or false, got \(shown)") }
            return true
        case .choice(let words):
            guard let word = value.string, words.contains(word) else {
                let hint = value.string.map { Suggestion.hint(for: $0, in: words) } ?? ""
                return fail("'\(key)' must be one of \(words.joined(separator: ", ")); got \(shown)\(hint)")
            }
            return true
        case .list(let element):
            guard let items = value.list else { return fail("'\(key)' expects a list such as [a, b], got \(shown)") }
            if items.isEmpty { return fail("'\(key)' must not be an empty list") }
            return items.map { check($0, is: element, key: key, sink: &sink) }.allSatisfy { $0 }
        case .oneOrMore(let element):
            guard let items = value.list else { return check(value, is: element, key: key, sink: &sink) }
            if items.isEmpty { return fail("'\(key)' must not be an empty list") }
            return items.map { check($0, is: element, key: key, sink: &sink) }.allSatisfy { $0 }
        case .record(let keys):
            validate(value, against: keys, what: "'\(key)'", at: value.location, sink: &sink)
            return true
        case .definition, .reference:
            guard let name = value.string else { return fail("'\(key)' expects a name, got \(shown)") }
            guard Names.isValid(name) else { return fail("'\(name)' is not a valid name for '\(key)': use letters, digits, '_' and '-', starting with a letter") }
            return true
        case .datasetSource:
            guard let name = value.string, !name.isEmpty else { return fail("'\(key)' expects a dataset name or a path, got \(shown)") }
            return true
        case .classes:
            let items = value.list ?? [value]
            if items.isEmpty { return fail("'\(key)' must name at least one class") }
            if let bad = items.first(where: { $0.integer == nil && $0.string == nil }) {
                return fail("'\(key)' expects class labels or names, got \(bad.typeDescription)")
            }
            return true
        case .layers:
            guard let text = value.string else { return fail("each layer of '\(key)' is a line of words such as 'dense 64 relu', got \(shown)") }
            if case .failure(let error) = LayerSpec.parse(text) { return fail("layer '\(text)': \(error)") }
            return true
        case .transform:
            guard let text = value.string else { return fail("'\(key)' expects a transform such as 'rotate 90', got \(shown)") }
            if case .failure(let error) = TransformSpec.parse(text) { return fail("transform '\(text)': \(error)") }
            return true
        case .partition:
            guard let entries = value.mapping, !entries.isEmpty else { return fail("'\(key)' expects a mapping of new names to fractions, such as {train: 0.9, test: 0.1}") }
            var total = 0.0
            var ok = true
            for entry in entries {
                if !Names.isValid(entry.key) {
                    sink.error("'\(entry.key)' is not a valid name: use letters, digits, '_' and '-', starting with a letter", at: entry.keyLocation); ok = false
                }
                guard let x = entry.value.number, x > 0, x <= 1 else {
                    sink.error("part '\(entry.key)' needs a fraction above 0 and at most 1, got \(entry.value.string.map { "'\($0)'" } ?? entry.value.scalarText ?? entry.value.typeDescription)", at: entry.value.location)
                    ok = false; continue
                }
                total += x
            }
            if ok, abs(total - 1) > 1e-9 { return fail("the fractions of '\(key)' add up to \(ValueFormat.number(total)), not 1") }
            return ok
        case .parameterValues, .parameterSettings:
            var lists = false
            if case .parameterValues = type { lists = true }
            guard let entries = value.mapping, !entries.isEmpty else {
                return fail("'\(key)' expects a mapping such as \(lists ? "{anomalous_digit: [0, 1, 2]}" : "{epochs: 5}")")
            }
            var ok = true
            // One parameter per challenge: the table, the chart and the expectation are per value
            // of one parameter, and a second one would otherwise be dropped without a word.
            if lists, entries.count > 1 {
                sink.error("'\(key)' varies one parameter, not \(entries.count) (\(entries.map(\.key).joined(separator: ", "))); write one challenge per parameter", at: entries[1].keyLocation)
                ok = false
            }
            for entry in entries {
                if !parameterNames.contains(entry.key) {
                    let hint = Suggestion.hint(for: entry.key, in: parameterNames)
                    sink.error("'\(key)' names no parameter '\(entry.key)'\(parameterNames.isEmpty ? " (the front matter declares none)" : hint)", at: entry.keyLocation)
                    ok = false
                }
                if lists, !(entry.value.list.map { !$0.isEmpty && $0.allSatisfy { $0.scalarText != nil } } ?? false) {
                    sink.error("'\(entry.key)' in '\(key)' needs a non-empty list of values", at: entry.value.location)
                    ok = false
                } else if !lists, entry.value.scalarText == nil {
                    sink.error("'\(entry.key)' in '\(key)' needs one value", at: entry.value.location)
                    ok = false
                }
            }
            return ok
        case .metricPath:
            guard let text = value.string, let dot = text.lastIndex(of: "."), dot != text.startIndex else {
                return fail("'\(key)' expects score.metric, such as recon_prob.auc, got \(shown)")
            }
            let metric = String(text[text.index(after: dot)...])
            guard LabSchema.metrics.contains(metric) else {
                return fail("unknown metric '\(metric)'\(Suggestion.hint(for: metric, in: LabSchema.metrics)) (metrics: \(LabSchema.metrics.joined(separator: ", ")))")
            }
            return true
        case .expectation:
            guard let text = value.string, let expectation = Expectation(text) else {
                return fail("'\(key)' expects 'metric op number' such as 'auc >= 0.8', got \(shown)")
            }
            guard LabSchema.metrics.contains(expectation.metric) else {
                return fail("unknown metric '\(expectation.metric)'\(Suggestion.hint(for: expectation.metric, in: LabSchema.metrics))")
            }
            return true
        case .numberOrChoice(let min, let words):
            if let word = value.string {
                guard words.contains(word) else { return fail("'\(key)' must be a number or one of \(words.joined(separator: ", ")); got \(shown)\(Suggestion.hint(for: word, in: words))") }
                return true
            }
            guard let x = value.number, x > min, x.isFinite else { return fail("'\(key)' must be a number above \(ValueFormat.number(min)) or one of \(words.joined(separator: ", ")); got \(shown)") }
            return true
        case .parameters:
            return true
        }
    }
}

/// Names that steps define with `as:` and refer to later.
enum Names {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}

/// Short, stable formatting of numbers in messages and documentation.
enum ValueFormat {
    /// Rounded to 10 decimals, so that sums such as 0.7 + 0.2 read 0.9.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        let rounded = (x * 1e10).rounded() / 1e10
        return abs(rounded) > 0 && abs(rounded) < 1e15 ? "\(rounded)" : "\(x)"
    }
}
