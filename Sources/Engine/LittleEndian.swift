import Foundation

/// Fixed-width integers in files, least significant byte first, whatever the machine: the
/// weights file and the run cache share this layout.
///
/// ```swift
/// var data = Data()
/// LittleEndian.append(UInt32(7), to: &data)
/// LittleEndian.uint32([UInt8](data), at: 0)   // 7
/// ```
public enum LittleEndian {
    public static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    public static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    public static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
