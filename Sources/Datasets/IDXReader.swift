/// Reads the IDX files of the MNIST family (LeCun's format), gzip-compressed or raw.
///
/// Images: magic 0x00000803, then count, rows, columns (big-endian UInt32), then bytes.
/// Labels: magic 0x00000801, then count, then one byte per label.
///
/// The header is checked first (see `IDXHeader`), and then exactly the data it announces is
/// read: a file that expands to more is refused without expanding the rest.
public enum IDXReader {
    /// Images as a store of [rows, columns, 1] samples scaled to [0, 1].
    public static func images(at path: String) throws -> SampleStore {
        let stream = try DataStream(path: path)
        let header = try IDXHeader.read(from: stream, expected: 0x0000_0803, kind: "image")
        let (count, rows, columns) = (header.dimensions[0], header.dimensions[1], header.dimensions[2])
        let pixels = try payload(of: header, from: stream) { read, more in
            "\(path): the header announces \(count) images of \(rows)x\(columns) (\(header.totalBytes) bytes), but the file has \(more ? "more than " : "")\(header.headerBytes + read) bytes"
        }
        return SampleStore(shape: [rows, columns, 1], values: pixels.map { Float($0) / 255 })
    }

    /// Labels, one per image.
    public static func labels(at path: String) throws -> [Int] {
        let stream = try DataStream(path: path)
        let header = try IDXHeader.read(from: stream, expected: 0x0000_0801, kind: "label")
        let labels = try payload(of: header, from: stream) { read, more in
            "\(path): the header announces \(header.dimensions[0]) labels, but the file has \(more ? "more than " : "")\(read)"
        }
        return labels.map(Int.init)
    }

    /// The data after `header`, which must end the file. `mismatch` words the error from the
    /// bytes of data read, and whether the file goes on past them (it is not read further).
    private static func payload(of header: IDXHeader, from stream: DataStream, mismatch: (_ read: Int, _ more: Bool) -> String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        // Reserving is free until pages are written; beyond 256 MiB the array grows as it fills,
        // so a header that promises more than the file holds does not reserve it all.
        bytes.reserveCapacity(min(header.payloadBytes, 1 << 28))
        let read = try stream.read(header.payloadBytes, appendingTo: &bytes)
        guard read == header.payloadBytes else { throw DatasetError(mismatch(read, false)) }
        guard try stream.isAtEnd() else { throw DatasetError(mismatch(read, true)) }
        return bytes
    }

    /// The whole content of a file, decompressed when it is gzip, up to `DataStream.maximumBytes`.
    static func readAll(_ path: String) throws -> [UInt8] {
        try DataStream.readAll(path)
    }
}
