import Charts
import Datasets
import Engine
import Foundation
import LabDocument
import Randomness
import Report

/// Runs a lab: its steps in document order against a workspace of named datasets, models and
/// scores, each step's outputs going into the report right after it.
///
/// ```swift
/// let outcome = try LabRun.run(file: "Labs/004-conv-autoencoder-sevens.md", options: RunOptions(quick: true))
/// try ReportWriter.write(html: outcome.html, json: outcome.json, to: "Output/004.html")
/// ```
public final class LabRun {
    public struct Outcome {
        public var document: ReportDocument
        public var html: String
        public var json: String
        /// The first failure, as `path:line:column: error: message`.
        public var failure: String?
    }

    let lab: Lab
    let options: RunOptions
    let workspace = Workspace()
    var rng = RandomGenerator(seed: 0)
    var summaryRows: [ReportDocument.MetricRow] = []
    var timings: [(key: String, value: String)] = []
    /// Shared with the variants that challenges run.
    let memo: StepMemo
    /// The fingerprint behind each name defined so far.
    private var nameFingerprints: [String: String] = [:]
    /// The running step's fingerprint, and the SHA-256 of each data file it read.
    var stepFingerprint = ""
    var stepDataChecksums: [String] = []
    let cache: StepCache?

    init(lab: Lab, options: RunOptions, memo: StepMemo = StepMemo()) {
        self.lab = lab
        self.options = options
        self.memo = memo
        self.cache = options.cacheDirectory.map { StepCache(directory: URL(fileURLWithPath: $0)) }
    }

    var labSeed: Int { options.seed ?? lab.seed }

    /// Every step gets its own generator, from the lab's seed and the step's position, so the
    /// same lab and seed give the same numbers whatever ran before.
    func stepSeed(_ r: StepReader) -> UInt64 {
        UInt64(truncatingIfNeeded: labSeed) &* 0x9E37_79B9 &+ UInt64(r.step.index) &+ 1
    }

    /// Parses, checks and runs the lab at `path`.
    public static func run(file path: String, options: RunOptions, templates: ReportTemplates = .builtIn) throws -> Outcome {
        let parsed = LabParser.parse(file: path, overrides: options.overrides)
        guard let lab = parsed.lab, !parsed.hasErrors else {
            throw LabRunError(diagnostics: parsed.diagnostics.map(\.description))
        }
        let problems = Preflight.diagnostics(for: lab)
        guard problems.isEmpty else { throw LabRunError(diagnostics: (parsed.diagnostics + problems).map(\.description)) }
        let run = LabRun(lab: lab, options: options)
        let started = Date()
        let (cells, failure) = run.execute(includeChallenges: true)
        return try run.outcome(cells: cells, failure: failure, seconds: Date().timeIntervalSince(started), templates: templates)
    }

    /// Runs every step; stops at the first failure, listing the rest as not run.
    /// `reuse`: take unchanged steps' results from the memo (challenge variants do).
    /// `only`: run just the steps these names depend on (a challenge's measure), the rest not run.
    func execute(includeChallenges: Bool, reuse: Bool = false, only names: Set<String>? = nil) -> ([ReportDocument.Cell], String?) {
        var cells: [ReportDocument.Cell] = []
        var failure: String?
        let needed = names.map { StepMemo.steps(neededFor: $0, in: lab.steps) }
        for cell in lab.cells {
            switch cell {
            case .prose(let prose):
                cells.append(.prose(markdown: prose.markdown))
            case .step(let step):
                var section = ReportDocument.Step(kind: step.kind.rawValue, title: Self.title(of: step), line: step.location.line, source: step.source)
                // A challenge's variant needs only what its measure depends on: no charts.
                if failure != nil || (!includeChallenges && step.kind == .challenge) || (reuse && step.kind == .plot)
                    || needed.map({ !$0.contains(step.index) }) == true {
                    section.status = .notrun
                    cells.append(.step(section))
                    continue
                }
                let reader = StepReader(step: step)
                rng = RandomGenerator(seed: stepSeed(reader))
                let fingerprint = StepMemo.fingerprint(of: step, names: nameFingerprints, seed: labSeed, quick: options.quick)
                if reuse, step.kind != .plot, step.kind != .challenge, let entry = memo[fingerprint] {
                    workspace.datasets.merge(entry.datasets) { $1 }
                    workspace.models.merge(entry.models) { $1 }
                    workspace.scores.merge(entry.scores) { $1 }
                    for name in StepMemo.definedNames(step) { nameFingerprints[name] = entry.outputFingerprint }
                    section.outputs = [.text("(unchanged: reused)")]
                    cells.append(.step(section))
                    continue
                }
                options.progress(.step(number: step.index + 1, of: lab.steps.count, kind: step.kind.rawValue, title: section.title, line: step.location.line))
                let started = Date()
                stepFingerprint = fingerprint
                stepDataChecksums = []
                let resultsBefore = workspace.results.count
                defer { for i in resultsBefore..<workspace.results.count { workspace.results[i]["line"] = step.location.line } }
                // Models outlive their steps (in the workspace and the memo): keep their weights only.
                defer { for trained in workspace.models.values { trained.model.releaseScratch() } }
                do {
                    section.outputs = try execute(step, reader)
                    let names = StepMemo.definedNames(step)
                    // What a load step read is part of what its names stand for: other data, other fingerprint.
                    let outputFingerprint = stepDataChecksums.isEmpty ? fingerprint : SHA256.hex(of: Array(([fingerprint] + stepDataChecksums).joined(separator: "\n").utf8))
                    for name in names { nameFingerprints[name] = outputFingerprint }
                    if !names.isEmpty { memo[fingerprint] = StepMemo.Entry(outputFingerprint: outputFingerprint,
                                                       datasets: workspace.datasets.filter { names.contains($0.key) },
                                                       models: workspace.models.filter { names.contains($0.key) },
                                                       scores: workspace.scores.filter { names.contains($0.key) }) }
                } catch let error as StepFailure {
                    section.status = .failed
                    section.error = error.message
                    let location = error.location(in: step)
                    failure = "\(lab.path):\(location.line):\(location.column): error: \(error.message)"
                } catch {
                    section.status = .failed
                    section.error = "\(error)"
                    failure = "\(lab.path):\(step.location.line):\(step.location.column): error: \(error)"
                }
                if step.kind != .challenge { timings.append((key: "step \(step.index + 1) (\(step.kind.rawValue)) seconds", value: String(format: "%.2f", Date().timeIntervalSince(started)))) }
                cells.append(.step(section))
            }
        }
        return (cells, failure)
    }

    private func execute(_ step: Step, _ r: StepReader) throws -> [ReportDocument.Output] {
        switch step.kind {
        case .load: return try load(r)
        case .split: return try split(r)
        case .train: return try train(r)
        case .score: return try score(r)
        case .plot: return try plot(r)
        case .challenge: return try challenge(r)
        }
    }

    static func title(of step: Step) -> String {
        step.name ?? step["title"]?.scalarText ?? step["kind"]?.scalarText ?? step["method"]?.scalarText ?? step.kind.rawValue
    }

    // MARK: - Challenges

    private func challenge(_ r: StepReader) throws -> [ReportDocument.Output] {
        var outputs: [ReportDocument.Output] = [.text(try r.string("prompt"))]
        if let hint = r.optionalString("hint") { outputs.append(.text("Hint: \(hint)")) }
        guard let vary = r.value("vary")?.mapping?.first, let measure = r.optionalString("measure"), let dot = measure.lastIndex(of: ".") else {
            return outputs
        }
        let scoreName = String(measure[..<dot]), metric = String(measure[measure.index(after: dot)...])
        let expectation = r.optionalString("expect").flatMap(Expectation.init)
        let settings = (r.value("with")?.mapping ?? []).compactMap { entry in entry.value.scalarText.map { (entry.key, $0) } }
        if !settings.isEmpty {
            outputs.append(.text("Every value runs with " + settings.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
                                 + ", so compare the values with each other rather than with the lab's own run."))
        }
        let published = r.value("published")?.list?.compactMap(\.number)
        var labels: [String] = [], values: [Double] = [], rows: [[String]] = [], passes: [Bool] = [], shown: [Double] = []
        for (position, candidate) in (vary.value.list ?? []).enumerated() {
            guard let text = candidate.scalarText else { continue }
            options.progress(.note("challenge: \(vary.key) = \(text)"))
            var variant = options
            let fixed = Set(settings.map(\.0) + [vary.key])
            variant.overrides = options.overrides.filter { !fixed.contains($0.0) } + settings + [(vary.key, text)]
            variant.progress = { _ in }
            let reference = published.map { position < $0.count ? [Self.format($0[position])] : ["–"] } ?? []
            let parsed = LabParser.parse(text: lab.source, path: lab.path, overrides: variant.overrides)
            guard let variantLab = parsed.lab, !parsed.hasErrors else {
                rows.append([text, "–"] + reference + [parsed.diagnostics.first?.message ?? "does not check"]); continue
            }
            let rerun = LabRun(lab: variantLab, options: variant, memo: memo)
            let (_, failure) = rerun.execute(includeChallenges: false, reuse: true, only: [scoreName])
            guard failure == nil, let value = rerun.workspace.scores[scoreName]?.metrics.value(metric) else {
                rows.append([text, "–"] + reference + [failure ?? "\(measure) not measured"]); continue
            }
            let pass = expectation.map { $0.holds(for: value) }
            labels.append(text); values.append(value); passes.append(pass ?? true)
            if let published, position < published.count { shown.append(published[position]) }
            rows.append([text, Self.format(value)] + reference + [pass.map { $0 ? "pass" : "fail" } ?? ""])
        }
        if let published {
            // The means over the values both rows have, so that they compare like with like.
            if !values.isEmpty, shown.count == values.count {
                rows.append(["mean", Self.format(values.reduce(0, +) / Double(values.count)), Self.format(shown.reduce(0, +) / Double(shown.count)), ""])
            }
            outputs.append(.table(header: [vary.key, measure, "published", expectation.map { "expect \($0)" } ?? ""], rows: rows))
            if !values.isEmpty, shown.count == values.count {
                outputs.append(.chart(svg: Chart.groupedBars(title: "\(measure) for each \(vary.key), measured and published", xLabel: vary.key, yLabel: metric,
                                                             labels: labels, series: [("measured", values), ("published", shown)]), caption: nil))
            }
        } else {
            outputs.append(.table(header: [vary.key, measure, expectation.map { "expect \($0)" } ?? ""], rows: rows))
        }
        if published == nil, !values.isEmpty {
            outputs.append(.chart(svg: Chart.bar(title: "\(measure) for each \(vary.key)", xLabel: vary.key, yLabel: metric, labels: labels, values: values,
                                                 passes: expectation == nil ? nil : passes), caption: nil))
        }
        var entries: [[String: Any]] = []
        for (index, label) in labels.enumerated() {
            var entry: [String: Any] = ["value": label, metric: Self.rounded(values[index])]
            if index < shown.count { entry["published"] = shown[index] }
            if expectation != nil { entry["pass"] = passes[index] }
            entries.append(entry)
        }
        var result: [String: Any] = ["step": "challenge", "title": (try? r.string("title")) ?? "", "vary": vary.key, "measure": measure, "values": entries]
        if let expectation { result["expect"] = "\(expectation)" }
        workspace.results.append(result)
        return outputs
    }

    // MARK: - The report

    private func outcome(cells: [ReportDocument.Cell], failure: String?, seconds: Double, templates: ReportTemplates) throws -> Outcome {
        let parameters = lab.parameters.map { ReportDocument.Parameter(name: $0.name, value: $0.value.yamlText, defaultValue: $0.defaultValue.yamlText) }
        let steps: [[String: Any]] = cells.compactMap { cell in
            guard case .step(let step) = cell else { return nil }
            var entry: [String: Any] = ["line": step.line, "kind": step.kind, "title": step.title, "status": step.status.rawValue]
            if let error = step.error { entry["error"] = error }
            return entry
        }
        let results: [String: Any] = [
            "format": Self.resultsFormat, "lab": lab.path, "title": lab.title, "seed": labSeed, "quick": options.quick,
            "lab_sha256": SHA256.hex(of: Array(lab.source.utf8)),
            "parameters": Dictionary(uniqueKeysWithValues: lab.parameters.map { ($0.name, $0.value.yamlText) }),
            "engine": Engine.version, "threads": Engine.threads, "cpu": Machine.cpuModel, "blas": BLAS.configuration,
            "steps": steps, "results": workspace.results,
            "data_sha256": memo.fileChecksums, "failure": failure ?? NSNull(),
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
        var run: [(key: String, value: String)] = [("lab file", lab.path), ("swift-lab engine", Engine.version), ("mode", options.quick ? "quick (--quick)" : "full"),
                                                   ("threads", String(Engine.threads)), ("CPU", Machine.cpuModel), ("BLAS", BLAS.configuration),
                                                   ("total seconds", String(format: "%.1f", seconds))]
        run += memo.fileChecksums.keys.sorted().map { (key: "data \($0)", value: "sha256 \(memo.fileChecksums[$0]!)") }
        run += timings
        // The header names the file alone: where it was run from belongs to the run section.
        var document = ReportDocument(title: lab.title, description: lab.description, labPath: URL(fileURLWithPath: lab.path).lastPathComponent, seed: labSeed, parameters: parameters,
                                      cells: cells, metrics: summaryRows, run: run, resultsJSON: json)
        document.resultsDigest = SHA256.hex(of: Array(ReportRenderer.embedded(json).utf8))
        return Outcome(document: document, html: try ReportRenderer(templates: templates).render(document), json: json, failure: failure)
    }

    /// The version of the results JSON's layout; `swift-lab diff` refuses newer ones.
    public static let resultsFormat = 1

    /// Numbers in tables: four significant digits, fixed so reports diff cleanly.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x != 0, abs(x) < 1e-3 || abs(x) >= 1e6 { return String(format: "%.3e", x) }
        return String(format: "%.4f", x)
    }

    /// Six decimals for the results JSON. Beyond 1e15 a Double has no decimals to drop (and
    /// x · 1e6 could overflow); what is not finite never reaches here (steps refuse it).
    static func rounded(_ x: Double) -> Double { abs(x) < 1e15 ? (x * 1e6).rounded() / 1e6 : x }
}

/// The lab does not check: its diagnostics, one per line.
public struct LabRunError: Error, CustomStringConvertible {
    public var diagnostics: [String]
    public var description: String { diagnostics.joined(separator: "\n") }
}
