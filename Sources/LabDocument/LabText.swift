import Datasets
import Foundation

/// Reads a lab file and refuses what is not a lab before any parser sees it: missing, not a
/// regular file (a directory, a FIFO, a device), empty, too large, binary or not UTF-8. Each
/// refusal is one diagnostic naming the file.
enum LabText {
    /// Labs are prose and a few dozen steps; anything this big is a mistake (or an attack).
    static let maximumBytes = 2 * 1024 * 1024

    static func read(path: String, sink: inout DiagnosticSink) -> String? {
        // Before opening: opening a FIFO for reading waits for a writer, here forever.
        if let problem = RegularFile.problem(at: path) {
            sink.error(problem, at: nil)
            return nil
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            sink.error("cannot open the file", at: nil)
            return nil
        }
        defer { try? handle.close() }
        // Read one byte past the limit so a huge file costs no more than the limit to reject.
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        return decode(data, sink: &sink)
    }

    static func decode(_ data: Data, sink: inout DiagnosticSink) -> String? {
        if data.count > maximumBytes {
            sink.error("file is larger than \(maximumBytes / 1024 / 1024) MiB; a lab is a Markdown file of prose and steps", at: nil)
            return nil
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            sink.error("file is empty; a lab needs at least one 'swift-lab' step", at: nil)
            return nil
        }
        // Editors on Windows save "Unicode" as UTF-16: say so, rather than "binary" at its first NUL.
        if let encoding = wideEncoding(of: data) {
            sink.error("file is \(encoding) text; save it as UTF-8", at: nil)
            return nil
        }
        if let nul = data.firstIndex(of: 0) {
            let location = location(ofByte: nul, in: data)
            sink.error("file is binary (a NUL byte), not a Markdown lab", at: location)
            return nil
        }
        guard let text = String(validatingUTF8Data: data) else {
            let bad = firstInvalidUTF8Byte(in: data)
            sink.error(String(format: "file is not valid UTF-8 text (byte 0x%02X)", data[bad]),
                       at: location(ofByte: bad, in: data))
            return nil
        }
        // A byte-order mark is harmless; drop it so the front matter still starts the file.
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// "UTF-16" or "UTF-32" when the file starts with that encoding's byte-order mark, or with an
    /// ASCII character in it (a lab's first line, `---` or `#`, is ASCII); else nil.
    private static func wideEncoding(of data: Data) -> String? {
        let head = Array(data.prefix(4))
        let isASCII = { (byte: UInt8) in byte != 0 && byte < 0x80 }
        if head.starts(with: [0xFF, 0xFE, 0, 0]) || head.starts(with: [0, 0, 0xFE, 0xFF]) { return "UTF-32" }
        if head.count == 4, (isASCII(head[0]) && head[1...] == [0, 0, 0]) || (head[..<3] == [0, 0, 0] && isASCII(head[3])) { return "UTF-32" }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return "UTF-16" }
        if head.count >= 2, (isASCII(head[0]) && head[1] == 0) || (head[0] == 0 && isASCII(head[1])) { return "UTF-16" }
        return nil
    }

    private static func location(ofByte index: Int, in data: Data) -> SourceLocation {
        var line = 1
        var lineStart = data.startIndex
        for i in data.startIndex..<index where data[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: data[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: line, column: column)
    }

    /// The offset of the first byte where UTF-8 decoding fails.
    private static func firstInvalidUTF8Byte(in data: Data) -> Int {
        var i = data.startIndex
        while i < data.endIndex {
            let byte = data[i]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > data.endIndex { return i }
            if String(validatingUTF8Data: data[i..<(i + length)]) == nil { return i }
            i += length
        }
        return data.startIndex
    }
}

extension String {
    /// Strict UTF-8 decoding: nil for any invalid sequence instead of replacement characters.
    init?(validatingUTF8Data data: some Collection<UInt8>) {
        var result = ""
        var decoder = UTF8()
        var iterator = data.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = result
    }
}
