import CZlib
import Foundation

/// Reads the IDX files of the MNIST family (LeCun's format), gzip-compressed or raw.
///
/// Images: magic 0x00000803, then count, rows, columns (big-endian UInt32), then bytes.
/// Labels: magic 0x00000801, then count, then one byte per label.
public enum IDXReader {
    /// Images as a store of [rows, columns, 1] samples scaled to [0, 1].
    public static func images(at path: String) throws -> SampleStore {
        let bytes = try readAll(path)
        let (magic, dims) = try header(bytes, path: path, dimensions: 3)
        guard magic == 0x0000_0803 else { throw DatasetError("\(path): not an IDX image file (magic number \(hex(magic)), expected 0x00000803)") }
        let (count, rows, columns) = (dims[0], dims[1], dims[2])
        let expected = 16 + count * rows * columns
        guard bytes.count == expected else {
            throw DatasetError("\(path): the header announces \(count) images of \(rows)x\(columns) (\(expected) bytes), but the file has \(bytes.count) bytes")
        }
        var values = [Float](repeating: 0, count: count * rows * columns)
        bytes.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = Float(src[16 + i]) / 255 }
            }
        }
        return SampleStore(shape: [rows, columns, 1], values: values)
    }

    /// Labels, one per image.
    public static func labels(at path: String) throws -> [Int] {
        let bytes = try readAll(path)
        let (magic, dims) = try header(bytes, path: path, dimensions: 1)
        guard magic == 0x0000_0801 else { throw DatasetError("\(path): not an IDX label file (magic number \(hex(magic)), expected 0x00000801)") }
        guard bytes.count == 8 + dims[0] else {
            throw DatasetError("\(path): the header announces \(dims[0]) labels, but the file has \(bytes.count - 8)")
        }
        return bytes[8...].map(Int.init)
    }

    private static func header(_ bytes: [UInt8], path: String, dimensions: Int) throws -> (UInt32, [Int]) {
        guard bytes.count >= 4 + 4 * dimensions else { throw DatasetError("\(path): too short to be an IDX file (\(bytes.count) bytes)") }
        func word(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        return (word(0), (0..<dimensions).map { Int(word(4 + 4 * $0)) })
    }

    private static func hex(_ value: UInt32) -> String { "0x" + String(format: "%08X", value) }

    /// The whole file, decompressed when it is gzip (zlib reads plain files as they are).
    static func readAll(_ path: String) throws -> [UInt8] {
        guard FileManager.default.isReadableFile(atPath: path) else { throw DatasetError("\(path): cannot read the file") }
        guard let file = gzopen(path, "rb") else { throw DatasetError("\(path): cannot open the file") }
        gzbuffer(file, 1 << 20)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if read < 0 {
                var code: Int32 = 0
                let message = String(cString: gzerror(file, &code))
                gzclose_r(file)
                throw DatasetError("\(path): the compressed data is damaged (\(message))")
            }
            if read == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(read)])
        }
        var code: Int32 = 0
        let message = String(cString: gzerror(file, &code))
        let closed = gzclose_r(file)
        if code != Z_OK || closed != Z_OK {
            throw DatasetError("\(path): the compressed data is truncated or damaged (\(message.isEmpty ? "unexpected end of file" : message))")
        }
        return bytes
    }
}
