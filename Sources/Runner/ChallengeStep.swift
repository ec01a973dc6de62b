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
        let settings = (r.value("with")?.mapping ?? []).compactMap { entry in entry.value.scalarText.map { (entry.key, $0) } }
        if !settings.isEmpty {
            outputs.append(.text("Every value runs with " + settings.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
                                 + (options.quick ? " (within --quick's caps)" : "")
                                 + ", so compare the values with each other rather than with the lab's own run."))
        }
        let published = r.value("published")?.list?.compactMap(\.number)
        var labels: [String] = [], values: [Double] = [], rows: [[String]] = [], passes: [Bool] = [], shown: [Double] = []
        var failures: [[String: Any]] = []
        // Every value tried, in order, nil where its run failed: the bar chart shows the failures too.
        var tried: [(label: String, value: Double?, passes: Bool, published: Double?)] = []
        var failureNotes: [String] = []
        let expectCell: (String) -> [String] = { expectation == nil ? [] : [$0] }
        for (position, candidate) in (vary.value.list ?? []).enumerated() {
            guard let text = candidate.scalarText else { continue }
            options.progress(.note("challenge: \(vary.key) = \(text)"))
            var variant = options
            let fixed = Set(settings.map(\.0) + [vary.key])
            variant.overrides = options.overrides.filter { !fixed.contains($0.0) } + settings + [(vary.key, text)]
            variant.progress = { _ in }
            let reference = published.map { position < $0.count ? [Self.format($0[position])] : ["–"] } ?? []
            let publishedValue = published.flatMap { position < $0.count ? $0[position] : nil }
            let parsed = LabParser.parse(text: lab.source, path: lab.path, overrides: variant.overrides)
            guard let variantLab = parsed.lab, !parsed.hasErrors else {
                let why = parsed.diagnostics.first?.message ?? "does not check"
                rows.append([text, "failed"] + reference + expectCell("–")); failures.append(["value": text, "error": why])
                tried.append((text, nil, false, publishedValue)); failureNotes.append("\(vary.key) = \(text): \(why)"); continue
            }
            let rerun = LabRun(lab: variantLab, options: variant, memo: memo)
            let (_, failure) = rerun.execute(includeChallenges: false, reuse: true, only: [scoreName])
            guard failure == nil, let value = rerun.workspace.scores[scoreName]?.metrics.value(metric) else {
                let why = failure ?? "\(measure) not measured"
                rows.append([text, "failed"] + reference + expectCell("–")); failures.append(["value": text, "error": why])
                tried.append((text, nil, false, publishedValue)); failureNotes.append("\(vary.key) = \(text): \(withoutPath(why))"); continue
            }
            let pass = expectation.map { $0.holds(for: value) }
            labels.append(text); values.append(value); passes.append(pass ?? true)
            if let published, position < published.count { shown.append(published[position]) }
            rows.append([text, Self.format(value)] + reference + expectCell(pass.map { $0 ? "pass" : "fail" } ?? ""))
            tried.append((text, value, pass ?? true, publishedValue))
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
