import Foundation
import Mustache

/// The report's Mustache templates: `report` (the page) and `style` (its CSS), from a directory
/// an instructor can edit (`Templates/`), or the built-in copy when there is none. A template
/// receives its values escaped already (`HTMLEscape`), and the library adds no escaping of its own.
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

    /// Every template starts with the library's escaping off: `ReportRenderer` has escaped the
    /// context already, by code point, so `{{x}}` and `{{{x}}}` render the same. The library
    /// escapes per Character, which leaves the "<" of "\u{0600}<" raw; and a partial starts again
    /// with that escaping whatever the including template set, hence the pragma in front of every
    /// template, not only the page's.
    static let unescaped = "{{% CONTENT_TYPE: TEXT }}"

    func library() throws -> MustacheLibrary {
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources { templates[name] = try MustacheTemplate(string: Self.unescaped + source) }
        return MustacheLibrary(templates: templates)
    }
}
