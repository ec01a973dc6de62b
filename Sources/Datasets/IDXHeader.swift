/// The header of an IDX file, checked before anything is allocated for its data.
///
/// Layout: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit,
/// 0x0C 32-bit integer, 0x0D float, 0x0E double), the number of dimensions, then each dimension
/// as a big-endian UInt32. The data that follows is exactly the product of the dimensions times
/// the element size; a reader asks for that much and no more.
struct IDXHeader {
    /// 2 GiB of data. The largest files of the MNIST family (EMNIST ByClass training images)
    /// hold 0.55 GB; a header promising more is damaged or hostile, and loading it would take
    /// four times as much memory again as Float values.
    static let maximumPayloadBytes = 1 << 31
    /// IDX allows 255 dimensions; labels have 1, images 3, and 4 leaves room for colour.
    static let maximumDimensions = 4

    let magic: UInt32
    let dimensions: [Int]
    /// Bytes of data after the header.
    let payloadBytes: Int

    var headerBytes: Int { 4 + 4 * dimensions.count }
    /// The length of a well-formed file with this header.
    var totalBytes: Int { headerBytes + payloadBytes }

    /// Bytes per element of an IDX type byte; nil for a byte that is no IDX type.
    static func elementSize(type: UInt8) -> Int? {
        switch type {
        case 0x08, 0x09: return 1
        case 0x0B: return 2
        case 0x0C, 0x0D: return 4
        case 0x0E: return 8
        default: return nil
        }
    }

    /// The length of the header that `magic` (the first four bytes) starts, or nil when those
    /// bytes cannot start an IDX file.
    static func headerLength(magic: [UInt8]) -> Int? {
        guard magic.count == 4, magic[0] == 0, magic[1] == 0, elementSize(type: magic[2]) != nil,
              (1...maximumDimensions).contains(Int(magic[3])) else { return nil }
        return 4 + 4 * Int(magic[3])
    }

    /// Checks a complete header: magic and type bytes, the number of dimensions, and that the
    /// data size neither overflows nor passes `maximumPayloadBytes`.
    init(bytes: [UInt8], path: String) throws {
        let magic = Self.word(bytes, at: 0)
        guard let length = Self.headerLength(magic: Array(bytes.prefix(4))), bytes.count == length else {
            throw DatasetError("\(path): not an IDX file (magic number \(Self.hex(magic)))")
        }
        let dimensions = (0..<Int(bytes[3])).map { Int(Self.word(bytes, at: 4 + 4 * $0)) }
        var payload = Self.elementSize(type: bytes[2])!
        for dimension in dimensions {
            let (product, overflow) = payload.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Self.maximumPayloadBytes else {
                throw DatasetError("\(path): the header announces \(dimensions.map(String.init).joined(separator: " x ")) values, more than the \(Self.maximumPayloadBytes >> 30) GiB an IDX file may hold; the header is damaged")
            }
            payload = product
        }
        // With no samples the data is empty whatever one sample's size: bound that size by itself
        // too, so that nothing downstream multiplies a shape of 2^32 x 2^32.
        let (sampleBytes, overflow) = dimensions.dropFirst().reduce((Self.elementSize(type: bytes[2])!, false)) { total, dimension in
            let (product, overflow) = total.0.multipliedReportingOverflow(by: dimension)
            return (product, total.1 || overflow)
        }
        guard !overflow, sampleBytes <= Self.maximumPayloadBytes else {
            throw DatasetError("\(path): the header announces samples of \(dimensions.dropFirst().map(String.init).joined(separator: " x ")) values, more than the \(Self.maximumPayloadBytes >> 30) GiB an IDX file may hold; the header is damaged")
        }
        self.magic = magic
        self.dimensions = dimensions
        self.payloadBytes = payload
    }

    /// Reads the header at the start of `stream`, which must be a file of `kind` ("image",
    /// "label") with the magic number `expected`.
    static func read(from stream: DataStream, expected: UInt32, kind: String) throws -> IDXHeader {
        let path = stream.path
        let length = 4 + 4 * Int(expected & 0xFF)
        var bytes: [UInt8] = []
        try stream.read(length, appendingTo: &bytes)
        guard bytes.count == length else { throw DatasetError("\(path): too short to be an IDX file (\(bytes.count) bytes)") }
        let magic = word(bytes, at: 0)
        guard magic == expected else {
            throw DatasetError("\(path): not an IDX \(kind) file (magic number \(hex(magic)), expected \(hex(expected)))")
        }
        return try IDXHeader(bytes: bytes, path: path)
    }

    static func word(_ bytes: [UInt8], at i: Int) -> UInt32 {
        guard bytes.count >= i + 4 else { return 0 }
        return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
