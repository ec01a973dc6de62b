import LabDocument

/// Why a rubric cannot be used: every problem, each as `file:line:column: error: message`.
public struct RubricError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads a rubric file (YAML, see ``Rubric``) and checks it against the reference report, so that
/// a misspelt metric is one error at its line rather than zero points for the whole class.
///
/// ```swift
/// do {
///     let rubric = try RubricReader.read(path: "rubric.yml")
///     try RubricReader.check(rubric, against: reference)
/// } catch let error as RubricError { print(error) }   // rubric.yml:7:13: error: ...
/// ```
public enum RubricReader {
    /// Enough for any course; a bound keeps a hostile file from making a gradebook of millions of columns.
    public static let maximumItems = 500
    public static let maximumPoints = 10_000.0
    static let maximumIDLength = 64
    static let rootKeys = ["title", "items"]
    static let itemKeys = ["id", "points", "title", "hidden", "tolerance", "relative"] + Rubric.Check.keys

    public static func read(path: String) throws -> Rubric {
        let (value, diagnostics) = YAMLFile.read(path: path)
        guard let value else { throw RubricError(diagnostics: diagnostics) }
        return try read(value, path: path)
    }

    /// Reads rubric text that did not come from a file (tests).
    public static func read(text: String, path: String) throws -> Rubric {
        let (value, diagnostics) = YAMLFile.parse(text: text, path: path)
        guard let value else { throw RubricError(diagnostics: diagnostics) }
        return try read(value, path: path)
    }

    static func read(_ root: LabValue, path: String) throws -> Rubric {
        var problems: [Diagnostic] = []
        func error(_ message: String, _ location: SourceLocation) { problems.append(Diagnostic(file: path, location: location, message: message)) }
        guard let entries = root.mapping else {
            throw RubricError(diagnostics: [Diagnostic(file: path, location: root.location, message: "a rubric is a mapping with `items:`, a list of items with points")])
        }
        for entry in entries where !rootKeys.contains(entry.key) {
            error("unknown key '\(entry.key)' (a rubric has: \(rootKeys.joined(separator: ", ")))", entry.keyLocation)
        }
        var rubric = Rubric(path: path, title: root["title"]?.scalarText, items: [])
        guard let list = root["items"]?.list, !list.isEmpty else {
            error("`items:` must be a list of at least one item, each with `id`, `points` and one of \(Rubric.Check.keys.joined(separator: ", "))",
                  root["items"]?.location ?? root.location)
            throw RubricError(diagnostics: problems)
        }
        if list.count > maximumItems { error("a rubric has at most \(maximumItems) items", list[maximumItems].location) }
        var seen: [String: SourceLocation] = [:]
        for value in list.prefix(maximumItems) {
            guard let item = readItem(value, error: error) else { continue }
            if let first = seen[item.id] {
                error("item id '\(item.id)' is used twice (first at line \(first.line)); each item is one column of the gradebook", value["id"]?.location ?? value.location)
                continue
            }
            seen[item.id] = value.location
            rubric.items.append(item)
        }
        // In file order, as a compiler lists them (a stable sort keeps one place's problems in order).
        if !problems.isEmpty { throw RubricError(diagnostics: problems.enumerated().sorted { a, b in
            let (la, lb) = (a.element.location ?? SourceLocation(line: 0, column: 0), b.element.location ?? SourceLocation(line: 0, column: 0))
            return la == lb ? a.offset < b.offset : la < lb
        }.map(\.element)) }
        return rubric
    }

    private static func readItem(_ value: LabValue, error: (String, SourceLocation) -> Void) -> Rubric.Item? {
        guard let entries = value.mapping else {
            error("an item is a mapping such as {id: auc, points: 2, metric: scores.auc}", value.location)
            return nil
        }
        var valid = true
        func fail(_ message: String, _ location: SourceLocation) { error(message, location); valid = false }
        for entry in entries where !itemKeys.contains(entry.key) {
            fail("unknown key '\(entry.key)' in an item (keys: \(itemKeys.joined(separator: ", ")))", entry.keyLocation)
        }
        let id = value["id"]?.scalarText ?? ""
        if value["id"] == nil { fail("an item needs `id:`, its column's name in the gradebook", value.location) }
        else if !isIdentifier(id) {
            fail("item id must be 1 to \(maximumIDLength) letters, digits, '_', '-' or '.', starting with a letter or digit", value["id"]!.location)
        }
        let points = value["points"]?.number
        if let points, points.isFinite, (0...maximumPoints).contains(points) {} else {
            fail("`points:` must be a number from 0 to \(Int(maximumPoints))", value["points"]?.location ?? value.location)
        }
        let hidden = value["hidden"]
        if let hidden, hidden.boolean == nil { fail("`hidden:` is true or false", hidden.location) }
        let title = value["title"]
        if let title, title.string == nil { fail("`title:` is text", title.location) }

        let declared = entries.filter { Rubric.Check.keys.contains($0.key) }
        guard declared.count == 1, let checkEntry = declared.first else {
            fail("an item checks exactly one of: \(Rubric.Check.keys.joined(separator: ", "))" + (declared.count > 1 ? " (this one has \(declared.map(\.key).joined(separator: " and ")))" : ""),
                 declared.dropFirst().first?.keyLocation ?? value.location)
            return nil
        }
        for key in ["tolerance", "relative"] where value[key] != nil && checkEntry.key != "metric" {
            fail("`\(key):` applies to `metric:` items only", entries.first { $0.key == key }!.keyLocation)
        }
        guard let check = readCheck(checkEntry, item: value, fail: fail), valid else { return nil }
        return Rubric.Item(id: id, points: points ?? 0, title: title?.string, hidden: hidden?.boolean ?? false, check: check, location: checkEntry.value.location)
    }

    private static func readCheck(_ entry: LabEntry, item: LabValue, fail: (String, SourceLocation) -> Void) -> Rubric.Check? {
        let location = entry.value.location
        guard let text = entry.value.string ?? entry.value.scalarText, entry.value.kind != .null, !text.isEmpty else {
            fail("`\(entry.key):` needs a value", location)
            return nil
        }
        switch entry.key {
        case "metric":
            guard let recorded = RecordedValue(text) else {
                fail("`metric:` names a recorded value as NAME.metric, e.g. rotation_error.auc", location)
                return nil
            }
            var bound = Tolerance.defaults.bound(for: recorded.metric)
            for (key, assign) in [("tolerance", { (x: Double) in bound.absolute = x }), ("relative", { (x: Double) in bound.relative = x })] {
                guard let value = item[key] else { continue }
                guard let x = value.number, x.isFinite, x >= 0 else { fail("`\(key):` must be a number ≥ 0", value.location); return nil }
                assign(x)
            }
            return .metric(recorded, bound: bound)
        case "challenge":
            return .challenge(title: text)
        case "expect":
            guard let expectation = Expectation(text), let recorded = RecordedValue(expectation.metric) else {
                fail("`expect:` is `NAME.metric op number` (op: <, <=, >, >=), e.g. rotation_error.auc >= 0.6", location)
                return nil
            }
            return .expectation(recorded, expectation)
        case "answer":
            guard isIdentifier(text) else { fail("`answer:` names a question id: letters, digits, '_', '-' or '.'", location); return nil }
            return .answer(question: text)
        default:
            return nil
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard (1...maximumIDLength).contains(text.unicodeScalars.count), let first = text.unicodeScalars.first,
              ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
    }

    /// Every item's check must name something the reference recorded: a value, a challenge
    /// with an expectation. (Answers are the students' own: the reference need not have them.)
    public static func check(_ rubric: Rubric, against reference: GradedReport) throws {
        var problems: [Diagnostic] = []
        for item in rubric.items {
            var missing: String?
            switch item.check {
            case .metric(let value, _), .expectation(let value, _):
                if value.value(in: reference) == nil {
                    let names = Set(reference.metrics.compactMap { metric in metric.resultName.map { "\($0).\(metric.name)" } }).sorted()
                    missing = "'\(value)' is not recorded in the reference (\(reference.path)); it records: \(names.prefix(12).joined(separator: ", "))" + (names.count > 12 ? ", ..." : "")
                }
            case .challenge(let title):
                if !reference.challengeOutcomes.contains(where: { $0.challenge == title }) {
                    let titles = Set(reference.challengeOutcomes.map(\.challenge)).sorted().map { "'\($0)'" }
                    missing = "the reference has no challenge '\(title)' with an expectation" + (titles.isEmpty ? "" : "; it has: " + titles.joined(separator: ", "))
                }
            case .answer:
                break
            }
            if let missing { problems.append(Diagnostic(file: rubric.path, location: item.location, message: missing)) }
        }
        if !problems.isEmpty { throw RubricError(diagnostics: problems) }
    }
}
