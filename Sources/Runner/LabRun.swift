import Charts
import Datasets
import Engine
import Foundation
import LabDocument
import Randomness
import Report

/// Runs a lab's steps in document order against a workspace of named datasets, models and
/// scores, each step's outputs going into the report right after it. ``LabRunner`` is the entry
/// point; this is the interpreter, one method per step kind (each in its own file).
final class LabRun: StepInterpreter {
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
    /// What `--quick`'s sample cap cut, load by load, for the report's banner.
    var quickShrunkLoads: [String] = []
    /// Locks of cache entries the running step is computing (see `CacheLock`).
    var cacheLocks: [String: CacheLock] = [:]
    /// Which challenge variants run here (see `VariantPlan`); how many the challenges so far
    /// have; the records a shard makes; and the first record a merge could not use.
    var variantPlan = VariantPlan.all
    var variantsSeen = 0
    var variantRecords: [VariantRecord] = []
    var mergeMismatch: String?

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
                let fingerprint = StepMemo.fingerprint(of: step, names: nameFingerprints, seed: labSeed, mode: options.fingerprintMode(of: step.kind))
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
                defer { releaseCacheLocks() }
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
        var interpreter = self
        return try step.kind.interpret(r, with: &interpreter)
    }

    static func title(of step: Step) -> String {
        step.name ?? step["title"]?.scalarText ?? step["question"]?.scalarText ?? step["kind"]?.scalarText ?? step["method"]?.scalarText ?? step.kind.rawValue
    }

    // MARK: - The report

    /// `runNotes`: rows for the end of the run section (how a merged report was made).
    func outcome(cells: [ReportDocument.Cell], failure: String?, seconds: Double, templates: ReportTemplates,
                 runNotes: [(key: String, value: String)] = []) throws -> LabRunner.Outcome {
        let parameters = lab.parameters.map { ReportDocument.Parameter(name: $0.name, value: $0.value.yamlText, defaultValue: $0.defaultValue.yamlText) }
        let steps: [[String: Any]] = cells.compactMap { cell in
            guard case .step(let step) = cell else { return nil }
            var entry: [String: Any] = ["line": step.line, "kind": step.kind, "title": step.title, "status": step.status.rawValue]
            if let error = step.error { entry["error"] = error }
            return entry
        }
        var results: [String: Any] = [
            "format": LabRunner.resultsFormat, "lab": lab.path, "title": lab.title, "seed": labSeed, "quick": options.quick,
            // Answers are left out: a lab with its answers written is the same computation.
            "lab_sha256": SHA256.hex(of: Array(lab.computationSource.utf8)),
            "parameters": Dictionary(uniqueKeysWithValues: lab.parameters.map { ($0.name, $0.value.yamlText) }),
            "engine": Engine.version, "threads": Engine.threads, "cpu": Machine.cpuModel, "blas": BLAS.configuration,
            "steps": steps, "results": workspace.results,
            "data_sha256": memo.fileChecksums, "failure": failure ?? NSNull(),
        ]
        // Only when the lab names its student: reports of other labs stay as they were.
        if let student = lab.student { results["student"] = student }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
        var run: [(key: String, value: String)] = [("lab file", lab.path), ("swift-lab engine", Engine.version), ("mode", options.quick ? "quick (--quick)" : "full"),
                                                   ("threads", String(Engine.threads)), ("CPU", Machine.cpuModel), ("BLAS", BLAS.configuration),
                                                   ("total seconds", String(format: "%.1f", seconds))]
        run += memo.fileChecksums.keys.sorted().map { (key: "data \($0)", value: "sha256 \(memo.fileChecksums[$0]!)") }
        run += timings
        run += runNotes
        // The header names the file alone: where it was run from belongs to the run section.
        var document = ReportDocument(title: lab.title, description: lab.description, labPath: URL(fileURLWithPath: lab.path).lastPathComponent, seed: labSeed, parameters: parameters,
                                      cells: cells, metrics: summaryRows, run: run, resultsJSON: json)
        document.resultsDigest = SHA256.hex(of: Array(ReportRenderer.embedded(json).utf8))
        document.challenges = challengeRows()
        document.images = lab.images
        if options.quick { document.quickChanges = quickChanges() }
        return LabRunner.Outcome(document: document, html: try ReportRenderer(templates: templates).render(document), json: json, failure: failure)
    }

    /// Each measured challenge's outcome: how many values pass its expectation, or the range of
    /// what it measured.
    private func challengeRows() -> [ReportDocument.ChallengeRow] {
        workspace.results.filter { $0["step"] as? String == "challenge" }.map { result in
            let vary = result["vary"] as? String ?? "", measure = result["measure"] as? String ?? ""
            let metric = measure.split(separator: ".").last.map(String.init) ?? measure
            let values = result["values"] as? [[String: Any]] ?? []
            let measured = values.compactMap { $0[metric] as? Double }
            let failed = (result["failed"] as? [[String: Any]])?.count ?? 0, tried = values.count + failed
            let unmeasured = failed == 0 ? "" : "; \(failed) of \(tried) values could not be measured (see the challenge)"
            var outcome: String
            if measured.isEmpty {
                outcome = "not measured"
            } else if let expectation = result["expect"] as? String {
                outcome = "\(values.filter { $0["pass"] as? Bool == true }.count) of \(tried) values of \(vary) pass \(expectation)"
            } else {
                outcome = measured.count == 1 ? "1 value of \(vary): \(Self.format(measured[0]))"
                    : "\(measured.count) values of \(vary): \(Self.format(measured.min()!)) to \(Self.format(measured.max()!))"
            }
            outcome += unmeasured
            return ReportDocument.ChallengeRow(title: result["title"] as? String ?? "", measure: measure, outcome: outcome)
        }
    }

    /// What `--quick` shrank in this lab, with the values it ran and the lab's own.
    private func quickChanges() -> [String] {
        var changes = quickShrunkLoads
        for step in lab.steps {
            let r = StepReader(step: step)
            switch step.kind {
            case .train where r.int("epochs") > RunOptions.quickEpochs:
                changes.append("epochs \(RunOptions.quickEpochs) of \(r.int("epochs")) (line \(step.location.line))")
            case .score:
                guard let method = r.optionalString("method").flatMap(ScoreMethod.init) else { continue }
                if method.needsVAE, r.int("samples") > RunOptions.quickDraws {
                    changes.append("\(RunOptions.quickDraws) draws of z of \(r.int("samples")) (line \(step.location.line))")
                } else if method == .isolationForest, r.int("trees") > RunOptions.quickTrees {
                    changes.append("\(RunOptions.quickTrees) trees of \(r.int("trees")) (line \(step.location.line))")
                }
            case .load, .split, .train, .plot, .challenge, .answer, .todo:
                continue
            }
        }
        for step in lab.steps where step.kind == .challenge {
            guard let count = step["vary"]?.mapping?.first?.value.list?.count else { continue }
            let tried = options.challengeValuePositions(count: count).count
            changes.append((tried < count ? "\(tried) of \(count) challenge values" : "every challenge value")
                           + ", training at most \(RunOptions.quickVariantEpochs) epoch each (line \(step.location.line))")
        }
        return changes
    }

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
