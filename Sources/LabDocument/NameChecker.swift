import Datasets

/// Checks what only the whole lab can tell: every name a step uses was defined by an earlier
/// step, with the right kind; no name is defined twice; classes exist in their dataset; VAE-only
/// scores get a VAE; challenges measure scores that exist.
struct NameChecker {
    struct Definition {
        var kind: NameKind
        var location: SourceLocation
        var stepIndex: Int
        /// For datasets: the registered dataset they come from, if any (to check class names).
        var catalog: RegisteredDatasetRef?
        /// For models: `autoencoder` or `vae`.
        var modelType: String?
    }

    typealias RegisteredDatasetRef = Datasets.RegisteredDataset

    private var defined: [String: Definition] = [:]
    /// Every definition in the lab, to tell "defined later" from "never defined".
    private var everywhere: [String: Definition] = [:]

    /// When a step's body could not be read, its `as:` is unknown: do not blame later steps.
    private var someBodyUnreadable = false

    init(steps: [Step]) {
        for step in steps {
            if step.body.mapping?.isEmpty ?? true { someBodyUnreadable = true }
            for (name, location, kind) in Self.definitions(in: step) where everywhere[name] == nil {
                everywhere[name] = Definition(kind: kind, location: location, stepIndex: step.index)
            }
        }
    }

    mutating func check(_ step: Step, sink: inout DiagnosticSink) {
        let keys = step.kind.keys
        checkReferences(in: step.body, keys: keys, sink: &sink)
        if step.kind == .score { checkScoreModel(step, sink: &sink) }
        if step.kind == .challenge { checkMeasure(step, sink: &sink) }
        define(step, sink: &sink)
    }

    // MARK: - References

    private func checkReferences(in value: LabValue, keys: KeySet, sink: inout DiagnosticSink) {
        for entry in value.mapping ?? [] {
            guard let spec = keys[entry.key] else { continue }
            switch spec.type {
            case .reference(let kind):
                resolve(entry.value, as: kind, sink: &sink)
            case .oneOrMore(.reference(let kind)):
                for item in entry.value.list ?? [entry.value] { resolve(item, as: kind, sink: &sink) }
            case .record(let nested):
                checkReferences(in: entry.value, keys: nested, sink: &sink)
            case .classes(let datasetKey):
                checkClasses(entry.value, catalog: catalog(ofSibling: datasetKey, in: value, keys: keys), sink: &sink)
            default:
                break
            }
        }
    }

    @discardableResult
    private func resolve(_ value: LabValue, as kind: NameKind, sink: inout DiagnosticSink) -> Definition? {
        guard let name = value.string, Names.isValid(name) else { return nil }
        if let definition = defined[name] {
            if definition.kind != kind {
                sink.error("'\(name)' is a \(definition.kind.rawValue) (defined at line \(definition.location.line)), but a \(kind.rawValue) is expected here", at: value.location)
                return nil
            }
            return definition
        }
        if let later = everywhere[name] {
            sink.error("'\(name)' is used before it is defined (at line \(later.location.line)); steps run in document order", at: value.location)
        } else if !someBodyUnreadable {
            let candidates = defined.filter { $0.value.kind == kind }.keys.sorted()
            sink.error("no earlier step defines the \(kind.rawValue) '\(name)'\(Suggestion.hint(for: name, in: candidates))", at: value.location)
        }
        return nil
    }

    private func catalog(ofSibling key: String, in value: LabValue, keys: KeySet) -> RegisteredDatasetRef? {
        guard let sibling = value[key], let name = sibling.string else { return nil }
        switch keys[key]?.type {
        case .datasetSource?: return DatasetCatalog.entry(named: name)
        case .reference(.dataset)?: return defined[name]?.kind == .dataset ? defined[name]?.catalog : nil
        default: return nil
        }
    }

    private func checkClasses(_ value: LabValue, catalog: RegisteredDatasetRef?, sink: inout DiagnosticSink) {
        guard let catalog else { return }
        for item in value.list ?? [value] {
            guard let text = item.integer.map(String.init) ?? item.string else { continue }
            if catalog.classIndex(of: text) == nil {
                let hint = item.integer == nil ? Suggestion.hint(for: text, in: catalog.classNames) : ""
                let listing = catalog.classNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
                let shown = catalog.classNames == (0..<catalog.classNames.count).map(String.init)
                    ? "labels 0-\(catalog.classNames.count - 1)" : listing
                sink.error("\(catalog.name) has no class '\(text)'\(hint) (\(shown))", at: item.location)
            }
        }
    }

    // MARK: - Step-specific checks

    private func checkScoreModel(_ step: Step, sink: inout DiagnosticSink) {
        guard let method = step["method"]?.string, let model = step["model"], let name = model.string,
              let definition = defined[name], definition.kind == .model, definition.modelType == "autoencoder" else { return }
        if LabSchema.vaeScoreMethods.contains(method) {
            sink.error("method '\(method)' needs a VAE, but '\(name)' is an autoencoder (defined at line \(definition.location.line))", at: model.location)
        } else if let z = step["z"], z.string == "sample" {
            sink.error("'z: sample' draws z from a VAE's q(z|x), but '\(name)' is an autoencoder (defined at line \(definition.location.line))", at: z.location)
        }
    }

    private func checkMeasure(_ step: Step, sink: inout DiagnosticSink) {
        // A parameter cannot be both varied and held at one value: the report would say one
        // thing while the run did the other.
        let varied = Set(step["vary"]?.mapping?.map(\.key) ?? [])
        for setting in step["with"]?.mapping ?? [] where varied.contains(setting.key) {
            sink.error("'\(setting.key)' is varied by 'vary'; 'with' sets the other parameters every value runs with", at: setting.keyLocation)
        }
        // A published value belongs to one value of vary: a list of another length has lost one.
        if let published = step["published"], let count = published.list?.count, let values = step["vary"]?.mapping?.first?.value.list, count != values.count {
            sink.error("'published' gives \(count) values, but 'vary' tries \(values.count); give one published value per value, in the same order", at: published.location)
        }
        guard let measure = step["measure"], let text = measure.string, let dot = text.lastIndex(of: ".") else { return }
        let scoreName = LabValue(.string(String(text[..<dot])), at: measure.location)
        resolve(scoreName, as: .score, sink: &sink)
        let metric = String(text[text.index(after: dot)...])
        if let expect = step["expect"], let expectation = expect.string.flatMap(Expectation.init),
           LabSchema.metrics.contains(expectation.metric), expectation.metric != metric {
            sink.error("'expect' tests '\(expectation.metric)', but 'measure' gives '\(metric)'", at: expect.location)
        }
    }

    // MARK: - Definitions

    static func definitions(in step: Step) -> [(String, SourceLocation, NameKind)] {
        var result: [(String, SourceLocation, NameKind)] = []
        // A part still to complete stands for the names its solution defined.
        if step.kind == .todo {
            for (key, kind) in [("datasets", NameKind.dataset), ("models", .model), ("scores", .score)] {
                result += (step[key]?.list ?? []).compactMap { item in item.string.flatMap { Names.isValid($0) ? ($0, item.location, kind) : nil } }
            }
        }
        if let kind = step.kind.definesKind, let name = step["as"], let text = name.string, Names.isValid(text) {
            result.append((text, name.location, kind))
        }
        if step.kind == .split, let parts = step["parts"]?.mapping {
            result += parts.filter { Names.isValid($0.key) }.map { ($0.key, $0.keyLocation, .dataset) }
        }
        return result
    }

    private mutating func define(_ step: Step, sink: inout DiagnosticSink) {
        for (name, location, kind) in Self.definitions(in: step) {
            if let previous = defined[name] {
                sink.error("'\(name)' is already defined at line \(previous.location.line)", at: location)
                continue
            }
            var definition = Definition(kind: kind, location: location, stepIndex: step.index)
            switch step.kind {
            case .load:
                if let source = step["dataset"]?.string { definition.catalog = DatasetCatalog.entry(named: source) }
            case .split:
                let source = step["data"]?.string ?? step["normal"]?.string
                definition.catalog = source.flatMap { defined[$0]?.catalog }
            case .train:
                definition.modelType = step["model"]?.string
            default:
                break
            }
            defined[name] = definition
        }
    }
}
