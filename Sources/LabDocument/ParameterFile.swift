/// A parameters file, `swift-lab run LAB --params FILE.yml`: a YAML mapping of the lab's
/// parameter names to values, read with `YAMLFile`'s guards and checked against the parameters the
/// lab declares, each problem located in the file. `--set` on the same command line wins over it.
///
/// ```swift
/// if let lab = LabParser.parse(file: "Labs/004-conv-autoencoder-sevens.md").lab {
///     let (overrides, diagnostics) = ParameterFile.overrides(path: "sevens.yml", for: lab)
///     diagnostics.forEach { print($0) }   // sevens.yml:2:1: error: the lab has no parameter 'epoch'; did you mean 'epochs'?
///     print(overrides)                    // [("epochs", "5")]
/// }
/// ```
public enum ParameterFile {
    /// The file's values as `--set`-style overrides, in the file's order; none when there is
    /// any diagnostic, so that a run never starts with half a file applied.
    public static func overrides(path: String, for lab: Lab) -> ([(String, String)], [Diagnostic]) {
        let (value, diagnostics) = YAMLFile.read(path: path)
        guard let value else { return ([], diagnostics) }
        var sink = DiagnosticSink(file: path)
        guard let entries = value.mapping else {
            sink.error("a parameters file is a mapping of parameter names to values (e.g. 'epochs: 5'), not \(value.typeDescription)", at: value.location)
            return ([], sink.diagnostics)
        }
        let declared = lab.parameters.map(\.name)
        var overrides: [(String, String)] = []
        for entry in entries {
            guard let parameter = lab.parameters.first(where: { $0.name == entry.key }) else {
                let known = declared.isEmpty ? "; it declares none" : Suggestion.hint(for: entry.key, in: declared)
                sink.error("the lab \(lab.path) has no parameter '\(entry.key)'\(known)", at: entry.keyLocation)
                continue
            }
            let text = entry.value.substitutionText
            guard entry.value.mapping == nil, entry.value.kind != .null,
                  ParameterTable.value(of: text, at: entry.value.location, like: parameter.defaultValue) != nil else {
                sink.error("'\(entry.key)' expects \(parameter.defaultValue.typeDescription) like its default \(parameter.defaultValue.yamlText), not \(entry.value.typeDescription)",
                           at: entry.value.location)
                continue
            }
            overrides.append((entry.key, text))
        }
        return sink.hasErrors ? ([], sink.diagnostics) : (overrides, [])
    }
}
