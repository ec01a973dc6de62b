import CZlib
import Foundation

/// CRC-32 (zlib's): the check the weights file and the run cache append to their bytes, so that a
/// truncated or damaged file is detected before it is used.
///
/// ```swift
/// CRC32.checksum(Data("123456789".utf8))   // 0xCBF43926
/// ```
public enum CRC32 {
    public static func checksum(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw in
            UInt32(crc32_z(0, raw.bindMemory(to: Bytef.self).baseAddress, raw.count))
        }
    }
}
