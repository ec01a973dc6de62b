import CCmark

/// Markdown to HTML with cmark in safe mode: raw HTML in a lab is dropped (cmark writes an
/// HTML comment in its place) and `javascript:`-style links are removed.
public enum Markdown {
    public static func html(_ markdown: String) -> String {
        let bytes = Array(markdown.utf8)
        // CMARK_OPT_DEFAULT is safe in cmark 0.30; CMARK_OPT_SAFE is kept for older versions.
        guard let rendered = bytes.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { cmark_markdown_to_html($0.baseAddress, $0.count, CMARK_OPT_DEFAULT | CMARK_OPT_SAFE) }
        }) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

#if canImport(Glibc)
import Glibc
#endif
