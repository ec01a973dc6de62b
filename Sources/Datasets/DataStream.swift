import CZlib
import Foundation

/// A data file read in chunks, decompressed on the fly when it is gzip (zlib passes any other
/// file through as it is). Nothing is read beyond what the caller asks for, so a small file that
/// expands to gigabytes costs no more memory than the caller's bound: readers ask for what a
/// header promises, or at most `maximumBytes`.
///
/// ```swift
/// let stream = try DataStream(path: "t10k-labels-idx1-ubyte.gz")
/// var header: [UInt8] = []
/// _ = try stream.read(8, appendingTo: &header)
/// ```
final class DataStream {
    /// The most a data file without a header of its own may expand to when it is read whole
    /// (2 GiB): IDX payloads are held to the same bound, and nothing a lab reads is larger.
    static let maximumBytes = 1 << 31

    /// zlib's input buffer; its output buffer is twice this.
    private static let bufferBytes: UInt32 = 1 << 18
    /// The most one `gzread` is asked for (its length is 32-bit).
    private static let chunkBytes = 1 << 20

    let path: String
    private let file: gzFile

    /// Opens `path`, which must be a regular file (see `RegularFile`).
    init(path: String) throws {
        self.path = path
        if let problem = RegularFile.problem(at: path) { throw DatasetError("\(path): \(problem)") }
        // Non-blocking, in case the path became a FIFO since the check: the open must not wait
        // for a writer. fstat then refuses it, and reads go back to blocking.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw DatasetError("\(path): cannot read the file") }
        if let problem = RegularFile.problem(descriptor: descriptor) {
            close(descriptor)
            throw DatasetError("\(path): \(problem)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        guard let file = gzdopen(descriptor, "rb") else {
            close(descriptor)
            throw DatasetError("\(path): cannot open the file")
        }
        gzbuffer(file, Self.bufferBytes)
        self.file = file
    }

    deinit { gzclose_r(file) }

    /// Appends up to `count` more bytes of content to `bytes` and returns how many; fewer only
    /// at the end of the file. Throws when the compressed data is damaged or stops short.
    @discardableResult
    func read(_ count: Int, appendingTo bytes: inout [UInt8]) throws -> Int {
        var total = 0
        while total < count {
            let wanted = min(count - total, Self.chunkBytes)
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: wanted))
            let read = bytes.withUnsafeMutableBufferPointer { gzread(file, $0.baseAddress! + start, UInt32(wanted)) }
            if read < 0 {
                bytes.removeLast(wanted)
                throw DatasetError("\(path): the compressed data is damaged (\(errorMessage()))")
            }
            bytes.removeLast(wanted - Int(read))
            total += Int(read)
            if Int(read) < wanted {
                try checkEnd()
                break
            }
        }
        return total
    }

    /// Whether the content has been read to its end (reads one byte to find out).
    func isAtEnd() throws -> Bool {
        var probe: [UInt8] = []
        return try read(1, appendingTo: &probe) == 0
    }

    /// The whole content of `path`, refused once it passes `maximum` bytes.
    static func readAll(_ path: String, maximum: Int = maximumBytes) throws -> [UInt8] {
        let stream = try DataStream(path: path)
        var bytes: [UInt8] = []
        guard try stream.read(maximum, appendingTo: &bytes) < maximum || stream.isAtEnd() else {
            throw DatasetError("\(path): larger than \(maximum / 1024 / 1024) MiB when decompressed; not a data file this tool reads")
        }
        return bytes
    }

    /// At the end of the content: zlib keeps a stream that stops short as a soft error.
    private func checkEnd() throws {
        var code: Int32 = 0
        let message = String(cString: gzerror(file, &code))
        if code != Z_OK {
            throw DatasetError("\(path): the compressed data is truncated or damaged (\(message.isEmpty ? "unexpected end of file" : message))")
        }
    }

    private func errorMessage() -> String {
        var code: Int32 = 0
        return String(cString: gzerror(file, &code))
    }
}
