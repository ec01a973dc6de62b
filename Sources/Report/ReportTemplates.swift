import Foundation
import Mustache

/// The report's Mustache templates: `report` (the page) and `style` (its CSS), from a directory
/// an instructor can edit (`Templates/`), or the built-in copy when there is none.
public struct ReportTemplates: Sendable {
    public static let names = ["report", "style"]
    let sources: [String: String]

    /// The built-in templates, the same as the repository's `Templates/` (a test keeps them so).
    public static let builtIn = ReportTemplates(sources: DefaultTemplates.sources)

    /// Templates from `directory`, each missing file taken from the built-in copy.
    public static func load(directory: String) throws -> ReportTemplates {
        var sources = DefaultTemplates.sources
        for name in names {
            let path = "\(directory)/\(name).mustache"
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { sources[name] = text }
        }
        return ReportTemplates(sources: sources)
    }

    func library() throws -> MustacheLibrary {
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources { templates[name] = try MustacheTemplate(string: source) }
        return MustacheLibrary(templates: templates)
    }
}
