import Foundation

/// Renders a `ReportDocument` to one HTML page: no external resource of any kind, a
/// Content-Security-Policy that forbids network loads, everything escaped but the charts' SVG
/// (which the Charts module escapes itself) and cmark's safe HTML.
///
/// ```swift
/// let html = try ReportRenderer(templates: .builtIn).render(document)
/// try ReportWriter.write(html: html, json: document.resultsJSON, to: "Output/lab.html")
/// ```
public struct ReportRenderer {
    public static let version = "0.1.0"
    let templates: ReportTemplates

    public init(templates: ReportTemplates) { self.templates = templates }

    public func render(_ document: ReportDocument) throws -> String {
        let library = try templates.library()
        guard let html = library.render(Self.escaped(context(document)), withTemplate: "report") else {
            throw ReportError("the report template could not be rendered")
        }
        return html
    }

    func context(_ d: ReportDocument) -> [String: Any] {
        var contents = Contents()
        var cells: [[String: Any]] = []
        var seenProse = false
        for (index, cell) in d.cells.enumerated() {
            switch cell {
            case .prose(let markdown):
                // The lab's own "# Title" repeats the header's title: the first prose leaves it out.
                let rendered = Markdown.render(markdown, omittingTitle: seenProse ? nil : d.title, anchorPrefix: "section-\(index + 1)", images: d.images)
                seenProse = true
                for heading in rendered.headings { contents.add(heading) }
                cells.append(["prose": ["html": TrustedHTML(rendered.html)]])
            case .step(let step):
                let anchor = "step-\(index + 1)"
                contents.add(step, anchor: anchor)
                var entry: [String: Any] = ["kind": step.kind, "title": step.title, "line": step.line, "source": step.source,
                                            "status": step.status.rawValue, "anchor": anchor, "outputs": step.outputs.map(output)]
                if let error = step.error { entry["error"] = error }
                if step.status == .notrun { entry["notRun"] = true }
                cells.append(["step": entry])
            }
        }
        let hasSummary = !d.metrics.isEmpty || !d.challenges.isEmpty
        var toc = contents.entries
        if hasSummary { toc.insert(["anchor": "summary", "label": "Results", "failed": false, "hasSteps": false], at: 0) }
        toc.append(["anchor": "run", "label": "Run", "failed": false, "hasSteps": false])
        var notices: [[String: Any]] = []
        if let changes = d.quickChanges {
            notices.append(["kind": "quick", "text": "A quick run (--quick): " + (changes.isEmpty ? "nothing needed shrinking" : changes.joined(separator: "; "))
                            + ". Its numbers show that the lab runs, not what it finds."])
        }
        var stepNumber = 0
        for (index, cell) in d.cells.enumerated() {
            guard case .step(let step) = cell else { continue }
            stepNumber += 1
            if step.status == .failed {
                notices.append(["kind": "failure", "anchor": "step-\(index + 1)",
                                "text": "Step \(stepNumber) (\(step.kind) \(step.title), line \(step.line)) failed: \(step.error ?? "")", "link": "Go to the step"])
            }
        }
        var context: [String: Any] = [
            "version": Self.version, "title": d.title, "labPath": d.labPath, "seed": d.seed,
            "parameters": d.parameters.map { ["name": $0.name, "value": $0.value, "defaultValue": $0.defaultValue, "overridden": $0.value != $0.defaultValue] as [String: Any] },
            "toc": toc, "cells": cells, "notices": notices, "hasSummary": hasSummary, "hasMetrics": !d.metrics.isEmpty,
            "metrics": d.metrics.map { ["name": $0.name, "method": $0.method, "auc": $0.auc, "ap": $0.ap, "f1": $0.f1] },
            "hasChallenges": !d.challenges.isEmpty,
            "challenges": d.challenges.map { ["title": $0.title, "measure": $0.measure, "outcome": $0.outcome] },
            "run": d.run.map { ["key": $0.key, "value": $0.value] },
            "resultsJSON": TrustedHTML(Self.embedded(d.resultsJSON)),
        ]
        if let description = d.description { context["description"] = description }
        if let digest = d.resultsDigest { context["resultsDigest"] = digest }
        return context
    }

    /// The results JSON as the report embeds it. Inside <script type="application/json"> no "<"
    /// may start a tag: JSON allows "<" only inside strings, where \u003c means the same character.
    public static func embedded(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// The context as the templates see it: every string escaped by `HTMLEscape.text`, trusted
    /// HTML as it is, numbers and flags untouched. The templates render with the Mustache
    /// library's escaping off (`ReportTemplates`), so this is the only escape, whichever of
    /// `{{x}}` and `{{{x}}}` a template uses.
    static func escaped(_ value: Any) -> Any {
        switch value {
        case let trusted as TrustedHTML: return trusted.html
        case let text as String: return HTMLEscape.text(text)
        case let dictionary as [String: Any]: return dictionary.mapValues(escaped)
        case let array as [Any]: return array.map(escaped)
        default: return value
        }
    }

    private func output(_ output: ReportDocument.Output) -> [String: Any] {
        switch output {
        case .text(let text): return ["text": text]
        case .table(let header, let rows): return ["table": ["header": header, "rows": rows.map { ["cells": $0] }]]
        case .chart(let svg, let caption):
            var chart: [String: Any] = ["svg": TrustedHTML(svg)]
            if let caption { chart["caption"] = caption }
            return ["chart": chart]
        case .code(let code): return ["code": code]
        case .markdown(let markdown): return ["markdown": ["html": TrustedHTML(Markdown.html(markdown))]]
        }
    }
}

/// Markup the report shows as it is: cmark's safe-mode HTML, the charts' SVG (whose text the
/// Charts module escapes), the embedded results JSON. Everything else is text.
struct TrustedHTML {
    let html: String
    init(_ html: String) { self.html = html }
}

public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
