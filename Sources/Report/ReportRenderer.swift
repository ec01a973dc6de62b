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
        guard let html = library.render(context(document), withTemplate: "report") else {
            throw ReportError("the report template could not be rendered")
        }
        return html
    }

    func context(_ d: ReportDocument) -> [String: Any] {
        var toc: [[String: Any]] = []
        var cells: [[String: Any]] = []
        for (index, cell) in d.cells.enumerated() {
            switch cell {
            case .prose(let markdown):
                cells.append(["prose": ["html": Markdown.html(markdown)]])
            case .step(let step):
                let anchor = "step-\(index + 1)"
                toc.append(["anchor": anchor, "label": "\(step.kind): \(step.title)"])
                var entry: [String: Any] = ["kind": step.kind, "title": step.title, "line": step.line, "source": step.source,
                                            "status": step.status.rawValue, "anchor": anchor, "outputs": step.outputs.map(output)]
                if let error = step.error { entry["error"] = error }
                if step.status == .notrun { entry["notRun"] = true }
                cells.append(["step": entry])
            }
        }
        if !d.metrics.isEmpty { toc.append(["anchor": "metrics", "label": "Metrics summary"]) }
        toc.append(["anchor": "run", "label": "Run"])
        var context: [String: Any] = [
            "version": Self.version, "title": d.title, "labPath": d.labPath, "seed": d.seed,
            "parameters": d.parameters.map { ["name": $0.name, "value": $0.value, "defaultValue": $0.defaultValue, "overridden": $0.value != $0.defaultValue] as [String: Any] },
            "toc": toc, "cells": cells, "hasMetrics": !d.metrics.isEmpty,
            "metrics": d.metrics.map { ["name": $0.name, "method": $0.method, "auc": $0.auc, "ap": $0.ap, "f1": $0.f1] },
            "run": d.run.map { ["key": $0.key, "value": $0.value] },
            "resultsJSON": Self.embedded(d.resultsJSON),
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

    private func output(_ output: ReportDocument.Output) -> [String: Any] {
        switch output {
        case .text(let text): return ["text": text]
        case .table(let header, let rows): return ["table": ["header": header, "rows": rows.map { ["cells": $0] }]]
        case .chart(let svg, let caption):
            var chart: [String: Any] = ["svg": svg]
            if let caption { chart["caption"] = caption }
            return ["chart": chart]
        case .code(let code): return ["code": code]
        }
    }
}

public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
