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
        // Every value tried, in order, nil where its run failed: the bar chart shows the failures too.
        var tried: [(label: String, value: Double?, passes: Bool, published: Double?)] = []
        var failureNotes: [String] = []
        let expectCell: (String) -> [String] = { expectation == nil ? [] : [$0] }
        for (number, position) in positions.enumerated() {
            guard let text = candidates[position].scalarText else { continue }
            let index = variantsSeen
            variantsSeen += 1
            let reference = published.map { position < $0.count ? [Self.format($0[position])] : ["–"] } ?? []
            let publishedValue = published.flatMap { position < $0.count ? $0[position] : nil }
            let outcome: Result<Double, VariantFailure>
            var measuredHere = true
            switch variantPlan {
            case .all:
                options.progress(.variant(number: number + 1, of: positions.count, parameter: vary.key, value: text))
                outcome = measureVariant(r.step, value: text, scoreName: scoreName, metric: metric, measure: measure)
            case .share(let shard):
                guard shard.contains(item: index) else { continue }
                options.progress(.variant(number: number + 1, of: positions.count, parameter: vary.key, value: text))
                outcome = measureVariant(r.step, value: text, scoreName: scoreName, metric: metric, measure: measure)
                variantRecords.append(VariantRecord(index: index, line: r.step.location.line, parameter: vary.key, value: text, outcome: outcome))
            case .recorded(let records):
                outcome = recordedOutcome(records[index], number: index, line: r.step.location.line, parameter: vary.key, value: text)
                measuredHere = false
            }
            switch outcome {
            case .failure(let failure):
                rows.append([text, "failed"] + reference + expectCell("–")); failures.append(["value": text, "error": failure.message])
                tried.append((text, nil, false, publishedValue)); failureNotes.append("\(vary.key) = \(text): \(withoutPath(failure.message))")
                if measuredHere { options.progress(.note("  \(vary.key) = \(text): not measured: \(failure.message)")) }
            case .success(let value):
                let pass = expectation.map { $0.holds(for: value) }
                labels.append(text); values.append(value); passes.append(pass ?? true)
                if let published, position < published.count { shown.append(published[position]) }
                rows.append([text, Self.format(value)] + reference + expectCell(pass.map { $0 ? "pass" : "fail" } ?? ""))
                tried.append((text, value, pass ?? true, publishedValue))
                let verdict = pass.flatMap { holds in expectation.map { " (\(holds ? "passes" : "fails") expect \($0))" } } ?? ""
                if measuredHere { options.progress(.note("  \(vary.key) = \(text): \(measure) \(Self.format(value))" + verdict)) }
            }
        }
        if published != nil {
            // The means over the values both rows have, so that they compare like with like.
            if !values.isEmpty, shown.count == values.count {
                rows.append(["mean", Self.format(values.reduce(0, +) / Double(values.count)), Self.format(shown.reduce(0, +) / Double(shown.count))] + expectCell(""))
            }
            outputs.append(.table(header: [vary.key, measure, "published"] + expectCell(expectation.map { "expect \($0)" } ?? ""), rows: rows))
            if !values.isEmpty, tried.allSatisfy({ $0.published != nil }) {
                outputs.append(.chart(svg: Chart.groupedBars(title: "\(measure) for each \(vary.key), measured and published", xLabel: vary.key, yLabel: metric,
                                                             labels: tried.map(\.label), series: [("measured", tried.map(\.value)), ("published", tried.map(\.published))]), caption: nil))
            }
        } else {
            outputs.append(.table(header: [vary.key, measure] + expectCell(expectation.map { "expect \($0)" } ?? ""), rows: rows))
        }
        if !failureNotes.isEmpty {
            outputs.append(.text("Failed: " + failureNotes.joined(separator: "; ")))
        }
        if published == nil, !tried.isEmpty {
            outputs.append(.chart(svg: Chart.bar(title: "\(measure) for each \(vary.key)", xLabel: vary.key, yLabel: metric, labels: tried.map(\.label),
                                                 values: tried.map(\.value), passes: expectation == nil ? nil : tried.map(\.passes)), caption: nil))
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

    /// Runs the lab again with the challenge's `with` settings and its varied parameter at
    /// `value`, only the steps the measure reads, and returns the metric or why there is none.
    private func measureVariant(_ step: Step, value: String, scoreName: String, metric: String, measure: String) -> Result<Double, VariantFailure> {
        var variant = options
        variant.overrides = ChallengeVariants.overrides(base: options.overrides, step: step, value: value)
        variant.isChallengeVariant = true
        // A variant's own steps would flood the log: only its training bar shows.
        let progress = options.progress
        variant.progress = { event in if case .batch = event { progress(event) } }
        let parsed = LabParser.parse(text: lab.source, path: lab.path, overrides: variant.overrides)
        guard let variantLab = parsed.lab, !parsed.hasErrors else {
            return .failure(VariantFailure(message: parsed.diagnostics.first?.message ?? "does not check"))
        }
        let rerun = LabRun(lab: variantLab, options: variant, memo: memo)
        let (_, failure) = rerun.execute(includeChallenges: false, reuse: true, only: [scoreName])
        guard failure == nil, let measured = rerun.workspace.scores[scoreName]?.metrics.value(metric) else {
            return .failure(VariantFailure(message: failure ?? "\(measure) not measured"))
        }
        return .success(measured)
    }

    /// A merge's outcome for variant `number`, from its shard's record, which must be the record
    /// of this very variant; a mismatch stops the merge (see `mergeMismatch`).
    private func recordedOutcome(_ record: VariantRecord?, number: Int, line: Int, parameter: String, value: String) -> Result<Double, VariantFailure> {
        let mismatch: String
        if let record {
            if record.line == line, record.parameter == parameter, record.value == value {
                do { return try record.outcome() } catch { mismatch = "the record of variant \(number) is damaged: \(error)" }
            } else {
                mismatch = "variant \(number) is \(parameter) = \(value) of the challenge at line \(line), but its record is \(record.parameter) = \(record.value) at line \(record.line): the partials were made from another version of the lab"
            }
        } else {
            mismatch = "no partial records variant \(number) (\(parameter) = \(value), challenge at line \(line))"
        }
        if mergeMismatch == nil { mergeMismatch = mismatch }
        return .failure(VariantFailure(message: mismatch))
    }

    /// A variant's failure as the challenge shows it: "line 42: message", without the lab's path
    /// (the challenge is in the same lab) or the "error:" every failure has.
    private func withoutPath(_ failure: String) -> String {
        guard failure.hasPrefix(lab.path + ":") else { return failure }
        let rest = failure.dropFirst(lab.path.count + 1)
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let line = Int(parts[0]) else { return String(rest) }
        var message = parts[2].drop { $0 == " " }
        if message.hasPrefix("error:") { message = message.dropFirst("error:".count).drop { $0 == " " } }
        return "line \(line): \(message)"
    }
}
