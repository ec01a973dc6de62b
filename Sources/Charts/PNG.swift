import CZlib
import Foundation

/// Grey 8-bit PNG images, for image grids embedded as data URIs (one bitmap per grid, not one
/// SVG rectangle per pixel).
public enum PNG {
    /// A PNG of `width` × `height` grey pixels, values in [0, 1] row by row (1 is white).
    public static func grey(_ pixels: [Float], width: Int, height: Int) -> Data {
        var raw = Data(capacity: (width + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter type: none
            for column in 0..<width {
                let v = pixels[row * width + column]
                raw.append(UInt8((min(max(v.isFinite ? v : 0, 0), 1) * 255).rounded()))
            }
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(bigEndian: UInt32(width)); header.append(bigEndian: UInt32(height))
        header.append(contentsOf: [8, 0, 0, 0, 0])  // 8-bit, greyscale, deflate, no filter choice, no interlace
        png.append(chunk: "IHDR", header)
        png.append(chunk: "IDAT", compress(raw))
        png.append(chunk: "IEND", Data())
        return png
    }

    /// `data:image/png;base64,...`
    public static func dataURI(_ png: Data) -> String { "data:image/png;base64," + png.base64EncodedString() }

    private static func compress(_ data: Data) -> Data {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        data.withUnsafeBytes { raw in
            _ = compress2(&out, &length, raw.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), 9)
        }
        return Data(out.prefix(Int(length)))
    }

    static func crc(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
    }
}

private extension Data {
    mutating func append(bigEndian value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    mutating func append(chunk type: String, _ payload: Data) {
        append(bigEndian: UInt32(payload.count))
        let typed = Data(type.utf8) + payload
        append(typed)
        append(bigEndian: PNG.crc(typed))
    }
}
