import Yams

/// Where a YAML snippet sits in the lab file, so its marks can be turned into file positions.
struct SnippetPlacement {
    /// File line of the snippet's first line.
    var firstLine: Int
    /// Columns the snippet's lines were shifted left by (a fence's indentation).
    var columnShift: Int
    /// Maps a column on a substituted line back to the column the author wrote, and names the
    /// parameter when the column falls inside a `${name}` substitution.
    var substitutions: Substitutions?

    func location(line: Int, column: Int) -> (SourceLocation, String?) {
        var column = column
        var parameter: String?
        if let substitutions {
            (column, parameter) = substitutions.originalColumn(line: line, column: column)
        }
        return (SourceLocation(line: firstLine + line - 1, column: column + columnShift), parameter)
    }
}

/// Parses a YAML snippet into `LabValue`s, with file positions, refusing what a lab never needs
/// and what could make a checker hang: anchors and aliases, very deep nesting, huge documents.
enum YAMLReader {
    static let maximumDepth = 32
    static let maximumNodes = 20_000

    static func parse(_ text: String, placement: SnippetPlacement, sink: inout DiagnosticSink) -> LabValue? {
        let start = placement.location(line: 1, column: 1).0
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            report(error, placement: placement, sink: &sink)
            return nil
        } catch {
            sink.error("YAML error: \(error)", at: start)
            return nil
        }
        guard let root else { return LabValue(.null, at: start) }
        // Anchors are weak references owned by the parser: keep it alive while walking.
        return withExtendedLifetime(parser) {
            var walker = Walker(placement: placement)
            do {
                return try walker.convert(root, depth: 0)
            } catch let failure as Walker.Failure {
                sink.error(failure.message, at: failure.location)
                return nil
            } catch {
                return nil
            }
        }
    }

    private static func report(_ error: YamlError, placement: SnippetPlacement, sink: inout DiagnosticSink) {
        func at(_ mark: Mark) -> SourceLocation { placement.location(line: mark.line, column: mark.column).0 }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(at(context.mark).line))"
            }
            sink.error(message, at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            sink.error("key \(keys) is written twice in the same mapping", at: at(context.mark))
        case .reader(let problem, _, _, _):
            sink.error("YAML cannot read this text: \(problem)", at: placement.location(line: 1, column: 1).0)
        default:
            sink.error("YAML error: \(error)", at: placement.location(line: 1, column: 1).0)
        }
    }

    private struct Walker {
        struct Failure: Error { var message: String; var location: SourceLocation }

        let placement: SnippetPlacement
        var visited = 0

        init(placement: SnippetPlacement) { self.placement = placement }

        mutating func convert(_ node: Node, depth: Int) throws -> LabValue {
            let (location, parameter) = placement.location(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
            visited += 1
            if node.anchor != nil || node.alias != nil {
                throw Failure(message: "YAML anchors and aliases (&name, *name) are not allowed in labs; write the value out", location: location)
            }
            if depth > YAMLReader.maximumDepth {
                throw Failure(message: "YAML nests deeper than \(YAMLReader.maximumDepth) levels", location: location)
            }
            if visited > YAMLReader.maximumNodes {
                throw Failure(message: "YAML has more than \(YAMLReader.maximumNodes) values; a step needs far fewer", location: location)
            }
            switch node {
            case .scalar(let scalar):
                return LabValue(Self.scalarKind(scalar), at: location, parameter: parameter)
            case .sequence(let sequence):
                var items: [LabValue] = []
                for child in sequence { items.append(try convert(child, depth: depth + 1)) }
                return LabValue(.list(items), at: location, parameter: parameter)
            case .mapping(let mapping):
                var entries: [LabEntry] = []
                for (key, value) in mapping {
                    let keyValue = try convert(key, depth: depth + 1)
                    guard let name = keyValue.scalarText, keyValue.list == nil, keyValue.mapping == nil else {
                        throw Failure(message: "a mapping key must be a plain name", location: keyValue.location)
                    }
                    entries.append(LabEntry(key: name, keyLocation: keyValue.location, value: try convert(value, depth: depth + 1)))
                }
                return LabValue(.mapping(entries), at: location, parameter: parameter)
            case .alias:
                throw Failure(message: "YAML anchors and aliases (&name, *name) are not allowed in labs; write the value out", location: location)
            }
        }

        /// Plain scalars get the types of YAML 1.2's core schema, so that `on`, `yes` and `no`
        /// stay text (YAML 1.1 would make them booleans); quoted scalars are always text.
        private static func scalarKind(_ scalar: Node.Scalar) -> LabValue.Kind {
            let text = scalar.string
            guard scalar.style == .plain else { return .string(text) }
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .boolean(true)
            case "false", "False", "FALSE": return .boolean(false)
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
            case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
            case ".nan", ".NaN", ".NAN": return .number(.nan)
            default: break
            }
            if isInteger(text), let i = Int(text) { return .integer(i) }
            if isDecimal(text), let d = Double(text) { return .number(d) }
            return .string(text)
        }

        private static func isInteger(_ text: String) -> Bool {
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
        }

        /// `[-+]? ( . digits | digits [ . digits? ] ) ( [eE] [-+]? digits )?`
        private static func isDecimal(_ text: String) -> Bool {
            var rest = Substring(text)
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            let mantissa = rest.prefix { $0 != "e" && $0 != "E" }
            let exponent = rest.dropFirst(mantissa.count)
            let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                  parts.contains(where: { !$0.isEmpty }) else { return false }
            if exponent.isEmpty { return true }
            var digits = exponent.dropFirst()
            if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
