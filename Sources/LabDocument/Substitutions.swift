/// `${name}` parameter references in a step body, replaced by the parameter's value as text
/// before the body is parsed as YAML, with enough bookkeeping to point diagnostics at the
/// column the author wrote.
struct Substitutions {
    struct Replacement {
        var newStart: Int      // 1-based column on the substituted line
        var newLength: Int
        var oldStart: Int      // 1-based column of `$` in the original line
        var oldLength: Int
        var name: String
    }

    private(set) var byLine: [Int: [Replacement]] = [:]

    /// Maps a column of a substituted line back to the original line.
    func originalColumn(line: Int, column: Int) -> (Int, String?) {
        var shift = 0
        for replacement in byLine[line] ?? [] {
            if column < replacement.newStart { break }
            if column < replacement.newStart + max(replacement.newLength, 1) {
                return (replacement.oldStart, replacement.name)
            }
            shift += replacement.oldLength - replacement.newLength
        }
        return (column + shift, nil)
    }

    /// Replaces every `${name}` in `text`. Unknown names and malformed references are reported
    /// (at `location(line, column)`) and left as written.
    static func apply(to text: String, parameters: [String: LabValue],
                      location: (Int, Int) -> SourceLocation,
                      sink: inout DiagnosticSink) -> (String, Substitutions) {
        var result = Substitutions()
        var outputLines: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let scalars = Array(line.unicodeScalars)
            var output = String.UnicodeScalarView()
            var i = 0
            while i < scalars.count {
                guard scalars[i] == "$", i + 1 < scalars.count, scalars[i + 1] == "{" else {
                    output.append(scalars[i]); i += 1; continue
                }
                guard let close = scalars[(i + 2)...].firstIndex(of: "}") else {
                    sink.error("'${' is not closed with '}'", at: location(lineNumber, i + 1))
                    output.append(contentsOf: scalars[i...]); i = scalars.count; continue
                }
                let name = String(String.UnicodeScalarView(scalars[(i + 2)..<close]))
                let original = scalars[i...close]
                guard let value = parameters[name] else {
                    let hint = Suggestion.hint(for: name, in: parameters.keys.sorted())
                    let message = name.isEmpty ? "'${}' names no parameter"
                        : "'${\(name)}' names no parameter\(parameters.isEmpty ? " (the front matter declares none under 'params')" : hint)"
                    sink.error(message, at: location(lineNumber, i + 1))
                    output.append(contentsOf: original); i = close + 1; continue
                }
                let replacement = Array(value.substitutionText.unicodeScalars)
                result.byLine[lineNumber, default: []].append(Replacement(
                    newStart: output.count + 1, newLength: replacement.count,
                    oldStart: i + 1, oldLength: original.count, name: name))
                output.append(contentsOf: replacement)
                i = close + 1
            }
            outputLines.append(String(output))
        }
        return (outputLines.joined(separator: "\n"), result)
    }
}
