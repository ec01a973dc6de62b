import CCmarkGFM
#if canImport(Glibc)
import Glibc
#endif

/// Markdown to HTML with cmark-gfm: GitHub's tables, strikethrough, autolinks and task lists,
/// in safe mode. Raw HTML in a lab is dropped (cmark-gfm writes an HTML comment in its place;
/// the tag filter is attached as well), and `javascript:`-style links lose their target.
///
/// ```swift
/// let html = Markdown.html("| metric | value |\n| --- | --- |\n| AUC | 0.91 |\n")
/// ```
public enum Markdown {
    /// A heading of rendered prose, for the report's contents.
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        /// The heading's `id` in the rendered HTML.
        public var anchor: String
    }

    /// Prose as HTML, and its headings in order.
    public struct Rendered: Sendable {
        public var html: String
        public var headings: [Heading]
    }

    static let extensions = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    public static func html(_ markdown: String) -> String { render(markdown).html }

    /// Renders `markdown`. `omittingTitle`: a first heading of level 1 with exactly this text is
    /// left out (the report's header shows the title already). `anchorPrefix`: headings get the
    /// ids `PREFIX-1`, `PREFIX-2`, ... `images`: the `data:` URI of each local image the lab may
    /// show, by the URL written in the prose; any other image shows as its alt text, and a remote
    /// one as a link to it (the report loads nothing from the network).
    public static func render(_ markdown: String, omittingTitle title: String? = nil, anchorPrefix: String? = nil,
                              images: [String: String] = [:]) -> Rendered {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_DEFAULT
        guard let parser = cmark_parser_new(options) else { return Rendered(html: "", headings: []) }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        let bytes = Array(markdown.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return Rendered(html: "", headings: []) }
        defer { cmark_node_free(document) }

        if let title, let first = cmark_node_first_child(document), cmark_node_get_type(first) == CMARK_NODE_HEADING,
           cmark_node_get_heading_level(first) == 1, plainText(of: first).trimmingCharacters(in: .whitespaces) == title.trimmingCharacters(in: .whitespaces) {
            cmark_node_unlink(first)
            cmark_node_free(first)
        }
        replaceImages(in: document, images: images)
        var headings: [Heading] = []
        for node in nodes(in: document) where cmark_node_get_type(node) == CMARK_NODE_HEADING {
            headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: plainText(of: node),
                                    anchor: "\(anchorPrefix ?? "heading")-\(headings.count + 1)"))
        }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return Rendered(html: "", headings: []) }
        defer { free(rendered) }
        // As every other text of a report: see `HTMLEscape.text`.
        var html = HTMLEscape.withoutDirectionalControls(String(cString: rendered))
        if anchorPrefix != nil { html = withAnchors(html, headings) }
        return Rendered(html: html, headings: headings)
    }

    /// Gives the k-th `<hN>` the k-th heading's id. In safe mode a `<h` in cmark's output starts
    /// a heading and nothing else: text is escaped, raw HTML omitted. It searches UTF-8 bytes
    /// from where it left off: Foundation's `range(of:)` on non-ASCII text converts all the rest
    /// at each call, which made a lab of many headings take minutes.
    static func withAnchors(_ html: String, _ headings: [Heading]) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = [], position = 0
        out.reserveCapacity(bytes.count + headings.count * 24)
        for heading in headings {
            let tag = Array("<h\(heading.level)>".utf8)
            guard let start = firstIndex(of: tag, in: bytes, from: position) else { break }
            out.append(contentsOf: bytes[position..<start])
            out.append(contentsOf: "<h\(heading.level) id=\"\(heading.anchor)\">".utf8)
            position = start + tag.count
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    /// Where `pattern` first occurs in `bytes` at or after `start`.
    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        while index <= bytes.count - pattern.count {
            if bytes[index] == first, bytes[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    /// Every node under `root`, in document order, collected first so that the tree may change.
    static func nodes(in root: OpaquePointer) -> [OpaquePointer] {
        guard let iterator = cmark_iter_new(root) else { return [] }
        defer { cmark_iter_free(iterator) }
        var found: [OpaquePointer] = []
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            if cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { found.append(node) }
        }
        return found
    }

    /// The text of a node's inlines, without markup.
    static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        for child in nodes(in: node) {
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += cmark_node_get_literal(child).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    /// Local images become their `data:` URI; others a link to where they are (remote) or their
    /// alt text (local, but not one the lab may show).
    private static func replaceImages(in document: OpaquePointer, images: [String: String]) {
        for node in nodes(in: document) where cmark_node_get_type(node) == CMARK_NODE_IMAGE {
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            if let data = images[url] {
                cmark_node_set_url(node, data)
                continue
            }
            let remote = isRemote(url)
            let replacement = cmark_node_new(remote ? CMARK_NODE_LINK : CMARK_NODE_EMPH)
            if remote { cmark_node_set_url(replacement, url) }
            while let child = cmark_node_first_child(node) {
                cmark_node_unlink(child)
                cmark_node_append_child(replacement, child)
            }
            cmark_node_insert_before(node, replacement)
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
    }

    /// An address on the network, which a report never loads.
    static func isRemote(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("//")
    }
}
