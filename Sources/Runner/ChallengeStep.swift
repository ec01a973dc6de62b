import Charts
import Foundation
import LabDocument
import Report

/// `challenge`: the exercise's prompt and hint, and, with `vary`, the lab re-run for each value
/// (only the steps the varied parameter reaches) with the measured metric per value.
extension LabRun {
    func challenge(_ r: StepReader) throws -> [ReportDocument.Output] {
        var outputs: [ReportDocument.Output] = [.text(try r.string("prompt"))]
        if let hint = r.optionalString("hint") { outputs.append(.text("Hint: \(hint)")) }
        guard let vary = r.value("vary")?.mapping?.first, let measure = r.optionalString("measure"), let dot = measure.lastIndex(of: ".") else {
            return outputs
        }
        let scoreName = String(measure[..<dot]), metric = String(measure[measure.index(after: dot)...])
        let expectation = r.optionalString("expect").flatMap(Expectation.init)
        let settings = ChallengeVariants.settings(of: r.step)
        if !settings.isEmpty {
            outputs.append(.text("Every value runs with " + settings.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
                                 + (options.quick ? " (within --quick's caps)" : "")
                                 + ", so compare the values with each other rather than with the lab's own run."))
        }
        let candidates = vary.value.list ?? []
        let positions = options.challengeValuePositions(count: candidates.count)
        if options.quick {
            let tried = positions.count < candidates.count ? "\(positions.count) of its \(candidates.count) values (the first, the middle and the last)" : "every value"
            outputs.append(.text("--quick tries \(tried), training each variant for at most \(RunOptions.quickVariantEpochs) epoch: a first look, not the lab's numbers."))
        }
        let published = r.value("published")?.list?.compactMap(\.number)
        var labels: [String] = [], values: [Double] = [], rows: [[String]] = [], passes: [Bool] = [], shown: [Double] = []
        var failures: [[String: Any]] = []
        for (number, position) in positions.enumerated() {
            guard let text = candidates[position].scalarText else { continue }
            options.progress(.variant(number: number + 1, of: positions.count, parameter: vary.key, value: text))
            var variant = options
            variant.overrides = ChallengeVariants.overrides(base: options.overrides, step: r.step, value: text)
            variant.isChallengeVariant = true
            // A variant's own steps would flood the log: only its training bar shows.
            let progress = options.progress
            variant.progress = { event in if case .batch = event { progress(event) } }
            let reference = published.map { position < $0.count ? [Self.format($0[position])] : ["–"] } ?? []
            let parsed = LabParser.parse(text: lab.source, path: lab.path, overrides: variant.overrides)
            guard let variantLab = parsed.lab, !parsed.hasErrors else {
                let why = parsed.diagnostics.first?.message ?? "does not check"
                rows.append([text, "–"] + reference + [why]); failures.append(["value": text, "error": why])
                options.progress(.note("  \(vary.key) = \(text): not measured: \(why)")); continue
            }
            let rerun = LabRun(lab: variantLab, options: variant, memo: memo)
            let (_, failure) = rerun.execute(includeChallenges: false, reuse: true, only: [scoreName])
            guard failure == nil, let value = rerun.workspace.scores[scoreName]?.metrics.value(metric) else {
                let why = failure ?? "\(measure) not measured"
                rows.append([text, "–"] + reference + [why]); failures.append(["value": text, "error": why])
                options.progress(.note("  \(vary.key) = \(text): not measured: \(why)")); continue
            }
            let pass = expectation.map { $0.holds(for: value) }
            labels.append(text); values.append(value); passes.append(pass ?? true)
            if let published, position < published.count { shown.append(published[position]) }
            rows.append([text, Self.format(value)] + reference + [pass.map { $0 ? "pass" : "fail" } ?? ""])
            let verdict = pass.flatMap { holds in expectation.map { " (\(holds ? "passes" : "fails") expect \($0))" } } ?? ""
            options.progress(.note("  \(vary.key) = \(text): \(measure) \(Self.format(value))" + verdict))
        }
        if published != nil {
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
        // Recorded only when there are any, so that other labs' results stay as they were.
        if !failures.isEmpty { result["failed"] = failures }
        workspace.results.append(result)
        return outputs
    }
}
