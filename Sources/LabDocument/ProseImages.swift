import CCmarkGFM
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local images a lab's prose shows (`![diagram](fig.png)`), read from the lab's folder and
/// embedded in the report as `data:` URIs, since the report loads nothing else.
///
/// An image is shown only when it is a regular file inside the lab's folder (a relative path,
/// no `..`, no symbolic link on the way, no device or FIFO), at most `maximumBytes` long, and a
/// PNG, JPEG or GIF by its first bytes. Anything else is a `path:line:col: error:`, from `check`
/// and `run` alike. Remote images (`https://...`) are not errors: the report shows them as links.
///
/// ```swift
/// var sink = DiagnosticSink(file: "Labs/lab.md")
/// let images = ProseImages.load(markdown: prose, labPath: "Labs/lab.md", sink: &sink)   // ["fig.png": "data:image/png;base64,..."]
/// ```
public enum ProseImages {
    /// The largest image a lab may embed: it goes into the report, base64-encoded.
    public static let maximumBytes: Int = 2 * 1024 * 1024
    /// The most the images of one lab may add up to.
    public static let maximumTotalBytes: Int = 8 * 1024 * 1024
    /// The most pixels an image may have (4096 × 4096): a few compressed bytes can claim
    /// billions, which the reader's browser would have to decode.
    public static let maximumPixels: Int = 4096 * 4096

    /// The kinds of image a report shows, told by their first bytes.
    enum Format: CaseIterable {
        case png, jpeg, gif

        var mediaType: String {
            switch self {
            case .png: return "image/png"
            case .jpeg: return "image/jpeg"
            case .gif: return "image/gif"
            }
        }

        var signatures: [[UInt8]] {
            switch self {
            case .png: return [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]
            case .jpeg: return [[0xFF, 0xD8, 0xFF]]
            case .gif: return [Array("GIF87a".utf8), Array("GIF89a".utf8)]
            }
        }

        init?(of bytes: [UInt8]) {
            guard let format = Format.allCases.first(where: { $0.signatures.contains { bytes.starts(with: $0) } }) else { return nil }
            self = format
        }

        /// Width and height as the file's header gives them, or nil when the header is cut short.
        func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
            func bigEndian(_ at: Int, _ count: Int) -> Int? {
                guard at >= 0, at + count <= bytes.count else { return nil }
                return bytes[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
            }
            switch self {
            case .png:
                // IHDR is the first chunk: its width and height follow its length and type.
                guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8),
                      let width = bigEndian(16, 4), let height = bigEndian(20, 4) else { return nil }
                return (width, height)
            case .gif:
                guard bytes.count >= 10 else { return nil }
                return (Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
            case .jpeg:
                // Segments up to the first start-of-frame (C0–CF, but C4, C8 and CC), which holds the size.
                var at = 2
                while at + 1 < bytes.count {
                    guard bytes[at] == 0xFF else { return nil }
                    let marker = bytes[at + 1]
                    if marker == 0xFF { at += 1; continue }
                    if (0xD0...0xD9).contains(marker) || marker == 0x01 { at += 2; continue }
                    guard let length = bigEndian(at + 2, 2), length >= 2 else { return nil }
                    if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                        guard let height = bigEndian(at + 5, 2), let width = bigEndian(at + 7, 2) else { return nil }
                        return (width, height)
                    }
                    at += 2 + length
                }
                return nil
            }
        }
    }

    /// Every local image `markdown` shows, as `data:` URIs by the URL written; a problem with one
    /// goes to `sink` at the image's position.
    static func load(markdown: String, labPath: String, sink: inout DiagnosticSink) -> [String: String] {
        var images: [String: String] = [:], total = 0
        for (url, location) in references(in: markdown) where images[url] == nil && !isRemote(url) {
            do {
                let bytes = try read(url, nextTo: labPath)
                total += bytes.count
                guard total <= maximumTotalBytes else {
                    sink.error("image '\(url)' cannot be shown: the lab's images add up to more than \(maximumTotalBytes / 1_048_576) MiB", at: location)
                    continue
                }
                guard let format = Format(of: bytes) else {
                    sink.error("image '\(url)' cannot be shown: it is not a PNG, JPEG or GIF file (by its first bytes)", at: location)
                    continue
                }
                guard let size = format.size(of: bytes) else {
                    sink.error("image '\(url)' cannot be shown: its header is cut short, so its size cannot be told", at: location)
                    continue
                }
                // Each side is below 2^32, so the product cannot overflow.
                guard size.width * size.height <= maximumPixels else {
                    sink.error("image '\(url)' cannot be shown: it claims \(size.width) × \(size.height) pixels; an image may have at most \(maximumPixels) (4096 × 4096)", at: location)
                    continue
                }
                images[url] = "data:\(format.mediaType);base64," + Data(bytes).base64EncodedString()
            } catch let problem as Problem {
                sink.error("image '\(url)' cannot be shown: \(problem.reason)", at: location)
            } catch {
                sink.error("image '\(url)' cannot be shown: \(error)", at: location)
            }
        }
        return images
    }

    /// An address on the network: the report links to it and loads nothing.
    static func isRemote(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("//")
    }

    /// Each image's URL and where it is written (the position of the `!`, or of its paragraph
    /// where cmark gives inlines none).
    static func references(in markdown: String) -> [(url: String, location: SourceLocation)] {
        let utf8 = Array(markdown.utf8)
        guard let document = cmark_parse_document(utf8.map { CChar(bitPattern: $0) }, utf8.count, CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return [] }
        defer { cmark_iter_free(iterator) }
        var found: [(String, SourceLocation)] = []
        var block = SourceLocation(line: 1, column: 1)
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            let here = line > 0 ? SourceLocation(line: line, column: max(column, 1)) : block
            if line > 0 { block = here }
            if cmark_node_get_type(node) == CMARK_NODE_IMAGE {
                found.append((cmark_node_get_url(node).map { String(cString: $0) } ?? "", here))
            }
        }
        return found
    }

    struct Problem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The bytes of the file `url` names, relative to the lab's folder, opened one component at
    /// a time without following links; at most `maximumBytes`.
    static func read(_ url: String, nextTo labPath: String) throws -> [UInt8] {
        guard !url.isEmpty else { throw Problem("it names no file") }
        guard let path = url.removingPercentEncoding, !path.contains("\0") else { throw Problem("its name is not a valid path") }
        if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") {
            throw Problem("only image files next to the lab are shown, not '\(path[..<colon]):' addresses")
        }
        guard !path.hasPrefix("/") else { throw Problem("an absolute path; write the image's path relative to the lab's folder") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !components.contains("..") else { throw Problem("'..' leaves the lab's folder; images must be inside it") }
        guard !components.isEmpty else { throw Problem("it names no file") }

        let folder = URL(fileURLWithPath: labPath).deletingLastPathComponent().path
        var directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw Problem("the lab's folder cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(directory) }
        for name in components.dropLast() {
            let next = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw Problem(errno == ENOENT ? "there is no folder '\(name)' in the lab's folder" : "'\(name)' is not a folder inside the lab's folder (a link is not followed)") }
            close(directory)
            directory = next
        }
        // Looked at before it is opened (without following a link), so that no FIFO waits for a
        // writer and no device is opened.
        var status = stat()
        guard fstatat(directory, components.last!, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw Problem(errno == ENOENT ? "there is no such file in the lab's folder" : String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw Problem(status.st_mode & S_IFMT == S_IFLNK ? "it is a symbolic link; images are read only as files in the lab's folder" : "it is not a regular file")
        }
        guard Int(status.st_size) <= maximumBytes else { throw Problem("it is \(Int(status.st_size)) bytes; an image may be at most \(maximumBytes) bytes (\(maximumBytes / 1_048_576) MiB)") }
        // Opened for reading now, non-blocking and checked again: the name may have changed since.
        let file = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { throw Problem(String(cString: strerror(errno))) }
        defer { close(file) }
        guard fstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { throw Problem("it is not a regular file") }
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Problem(String(cString: strerror(errno))) }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumBytes else { throw Problem("it is larger than \(maximumBytes) bytes (\(maximumBytes / 1_048_576) MiB), the most an image may be") }
        return Array(bytes[0..<count])
    }
}
