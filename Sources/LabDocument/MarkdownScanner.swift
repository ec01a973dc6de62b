import Foundation
import CCmark

/// Splits a lab's Markdown (front matter already blanked out) into prose and step fences,
/// using cmark so that what counts as a fenced block is exactly what CommonMark says.
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
            let end = Int(cmark_node_get_end_line(current))
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
        let first = info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        return first == infoWord ? info : nil
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
            guard let node = cmark_iter_get_node(iterator), info(of: node) != nil,
                  cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER else { continue }
            let location = SourceLocation(line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
            sink.error("a 'swift-lab' step must stand at the top level of the document, not inside a list or quote", at: location)
        }
    }
}
