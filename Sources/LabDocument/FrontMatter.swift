/// The optional YAML block between `---` lines at the top of a lab.
struct FrontMatter {
    var lineCount = 0
    var title: String?
    var seed: Int?
    var description: String?
    var student: String?
    var parameters: [LabEntry] = []
    /// Set when the block could not be read far enough to know the lab's parameters: never
    /// closed, not YAML, or `params` not a mapping.
    var parametersUnknown = false

    static func read(lines: [String], sink: inout DiagnosticSink) -> FrontMatter {
        var result = FrontMatter()
        guard let first = lines.first, first.trimmingTrailingSpaces == "---" else { return result }
        guard let close = lines.indices.dropFirst().first(where: { ["---", "..."].contains(lines[$0].trimmingTrailingSpaces) }) else {
            sink.error("front matter opened with '---' is never closed; end it with a line '---'", at: SourceLocation(line: 1, column: 1))
            result.parametersUnknown = true
            return result
        }
        result.lineCount = close + 1
        let yaml = lines[1..<close].joined(separator: "\n")
        guard !yaml.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) else { return result }
        let placement = SnippetPlacement(firstLine: 2, columnShift: 0, substitutions: nil)
        guard let value = YAMLReader.parse(yaml, placement: placement, sink: &sink) else {
            result.parametersUnknown = true
            return result
        }
        let validator = SchemaValidator(parameterNames: [])
        validator.validate(value, against: LabSchema.frontMatter, what: "the front matter", at: SourceLocation(line: 1, column: 1), sink: &sink)
        if let title = value["title"], title.list == nil, title.mapping == nil, title.kind != .null {
            result.title = title.scalarText
        }
        result.seed = value["seed"]?.integer.flatMap { $0 >= 0 ? $0 : nil }
        result.description = value["description"]?.string
        result.student = value["student"]?.string
        if let params = value["params"] {
            if let entries = params.mapping {
                result.parameters = entries
            } else {
                sink.error("'params' expects a mapping of names to default values, such as {epochs: 50}", at: params.location)
                result.parametersUnknown = true
            }
        }
        return result
    }
}

extension DiagnosticSink {
    /// A sink whose diagnostics nobody reads, for checks whose failures were reported already.
    static var discard: DiagnosticSink { DiagnosticSink(file: "") }
}

extension String {
    /// Without trailing spaces and tabs. Works on UTF-8 bytes: stepping back over a long run of
    /// spaces one Character at a time took seconds (a line of 40,000 spaces, 8 s).
    var trimmingTrailingSpaces: String {
        let bytes = utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let previous = bytes.index(before: end)
            guard bytes[previous] == 0x20 || bytes[previous] == 0x09 else { break }
            end = previous
        }
        return String(self[..<end])
    }
}
