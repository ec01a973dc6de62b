import Foundation

/// Partial results on disk: written whole or not at all, and read back as untrusted input (a
/// partial comes from another machine, a shared volume, or a student's hands).
///
/// ```swift
/// try PartialFile.write(data, to: "Output/lab.shard-1-of-4.json")
/// let data = try PartialFile.read("Output/lab.shard-1-of-4.json")   // ShardError naming the file
/// ```
public enum PartialFile {
    /// A partial lists one line per variant or submission; thousands fit in a few MiB.
    public static let maximumBytes = 64 * 1024 * 1024

    /// The file's bytes, after checking that it is a regular file (a link to one is followed) of
    /// at most ``maximumBytes``.
    public static func read(_ path: String) throws -> Data {
        func fail(_ reason: String) -> ShardError { ShardError("\(path): \(reason)") }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw fail(errno == ENOENT ? (lstat(path, &status) == 0 ? "a symbolic link to nothing" : "no such file") : "cannot be examined (\(cause()))")
        }
        // Before opening: a FIFO would make the read wait forever.
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw fail("is a directory, not a partial result")
        default: throw fail("is not a regular file")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw fail("cannot be read (\(cause()))") }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { throw fail("is not a regular file") }
        var data = Data(), buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Foundation.read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("cannot be read (\(cause()))")
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= maximumBytes else { throw fail("is larger than \(maximumBytes / 1024 / 1024) MiB, more than any partial result") }
        }
        return data
    }

    /// Writes `data` to a new temporary name beside `path` (never through a link someone left
    /// there), syncs it and renames it into place: a reader sees the old file or the new one.
    public static func write(_ data: Data, to path: String) throws {
        func fail(_ reason: String) -> ShardError { ShardError("cannot write \(path): \(reason)") }
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFLNK {
            throw fail("something other than a file is in its place")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fail(cause()) }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count, failure == nil {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { if errno != EINTR { failure = cause() } } else { offset += written }
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = cause() }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = cause() }
        if let failure {
            unlink(temporary)
            throw fail(failure)
        }
    }

    /// The partial of `kind` in `data`, read from `path`: JSON, a partial, of that kind (written
    /// by `command`), of a format from 1 to `currentFormat`, and decodable, or one `ShardError`
    /// naming the file and what is wrong. What the partial says is checked by its reader.
    public static func decode<Partial: Decodable>(_ type: Partial.Type, from data: Data, path: String,
                                                  kind: String, command: String, currentFormat: Int) throws -> Partial {
        func fail(_ reason: String) -> ShardError { ShardError("\(path): \(reason)") }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw fail("not valid JSON (the file is damaged or truncated), so not a partial result")
        }
        guard let header = header(of: data) else { throw fail("not a swift-lab partial result (it has no format and kind)") }
        guard header.kind == kind else { throw fail("a \(header.kind.prefix(60)), not a partial result of \(command)") }
        guard header.format <= currentFormat else {
            throw fail("written by a newer swift-lab (format \(header.format); this one reads format \(currentFormat))")
        }
        guard header.format >= 1 else { throw fail("format \(header.format) does not exist") }
        do { return try JSONDecoder().decode(Partial.self, from: data) } catch let error as DecodingError {
            throw fail("a damaged partial result: \(describe(error))")
        }
    }

    /// The `format` and `kind` every partial starts with, or nil for JSON that is not a partial.
    public static func header(of data: Data) -> (format: Int, kind: String)? {
        struct Header: Decodable { var format: Int; var kind: String }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else { return nil }
        return (header.format, header.kind)
    }

    /// A decoding error in one line: where in the JSON, and what.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func cause() -> String { String(cString: strerror(errno)).lowercased() }
}
