import Foundation
import CCmarkGFM

/// Splits a lab's Markdown (front matter already blanked out) into prose and step fences,
/// using cmark-gfm's CommonMark core (no extensions: none changes what a fence is) so that what
/// counts as a fenced block is exactly what CommonMark says.
enum MarkdownScanner {
    struct Fence {
        var info: String
        var location: SourceLocation
        var bodyFirstLine: Int
        var indent: Int
        var body: String
    }

    enum Piece {
        case prose(firstLine: Int, lastLine: Int)
        case fence(Fence)
    }

    static let infoWord = "swift-lab"

    static func scan(_ markdown: String, sink: inout DiagnosticSink) -> [Piece] {
        let utf8 = Array(markdown.utf8)
        guard let document = cmark_parse_document(utf8.map { CChar(bitPattern: $0) }, utf8.count, CMARK_OPT_DEFAULT) else {
            return []
        }
        defer { cmark_node_free(document) }

        var pieces: [Piece] = []
        var node = cmark_node_first_child(document)
        while let current = node {
            let start = Int(cmark_node_get_start_line(current))
            var end = Int(cmark_node_get_end_line(current))
            // cmark gives an HTML block that runs to the end of the file (a `<!-- -->` line right
            // after a fence) an end before its start: it ends where the next block starts, or with the file.
            if end < start {
                let next = cmark_node_next(current).map { Int(cmark_node_get_start_line($0)) - 1 }
                end = max(start, next ?? markdown.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
            }
            if let fence = stepFence(current) {
                pieces.append(.fence(fence))
            } else {
                reportNestedSteps(in: current, sink: &sink)
                if case .prose(let first, _)? = pieces.last {
                    pieces[pieces.count - 1] = .prose(firstLine: first, lastLine: end)
                } else {
                    pieces.append(.prose(firstLine: start, lastLine: end))
                }
            }
            node = cmark_node_next(current)
        }
        return pieces
    }

    private static func info(of node: OpaquePointer) -> String? {
        guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
              let raw = cmark_node_get_fence_info(node) else { return nil }
        let info = String(cString: raw).trimmingCharacters(in: .whitespaces)
        return words(of: info).first == infoWord ? info : nil
    }

    /// An info string's words: any run of spaces or tabs separates them, as CommonMark's
    /// whitespace does, so ```` ```swift-lab<TAB>plot ```` is a step like ```` ```swift-lab plot ````.
    static func words(of info: String) -> [String] {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// An indented code block (4 spaces or a tab) whose text starts a `swift-lab` fence: the author
    /// meant a step, but Markdown reads code, which would silently never run.
    private static func isIndentedStep(_ node: OpaquePointer) -> Bool {
        guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
              let raw = cmark_node_get_fence_info(node), raw.pointee == 0,
              let literal = cmark_node_get_literal(node) else { return false }
        let firstLine = String(cString: literal).prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        for marker in ["```", "~~~"] where firstLine.hasPrefix(marker) {
            return words(of: String(firstLine.drop { $0 == "`" || $0 == "~" })).first == infoWord
        }
        return false
    }

    private static func stepFence(_ node: OpaquePointer) -> Fence? {
        guard let info = info(of: node) else { return nil }
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        return Fence(info: info, location: SourceLocation(line: line, column: column),
                     bodyFirstLine: line + 1, indent: column - 1, body: literal)
    }

    /// A step inside a list or a quote would silently not run; say so instead.
    private static func reportNestedSteps(in root: OpaquePointer, sink: inout DiagnosticSink) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard let node = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER else { continue }
            let location = SourceLocation(line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
            if isIndentedStep(node) {
                sink.error("this 'swift-lab' fence is indented by 4 or more spaces, so Markdown reads it as code and it would never run; start the fence within 3 spaces of the margin", at: location)
            } else if info(of: node) != nil {
                sink.error("a 'swift-lab' step must stand at the top level of the document, not inside a list or quote", at: location)
            }
        }
    }
}
