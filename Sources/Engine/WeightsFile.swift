import CZlib
import Foundation

/// Saving and loading a model's weights: a versioned binary file with a checksum.
///
/// Layout: "SWLABWTS" · format version (UInt32) · header length (UInt32) · header (UTF-8: the
/// architecture and each parameter's shape) · Float32 values, little-endian · CRC-32 of all that
/// precedes it (UInt32). A file is written to a temporary name and renamed into place, so a crash
/// never leaves half a file under the real name.
public enum WeightsFile {
    static let magic = Array("SWLABWTS".utf8)
    public static let formatVersion: UInt32 = 1

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Writes `model`'s weights to `url`, atomically.
    public static func save(_ model: Model, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try encode(model).write(to: temporary)
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(description: "\(url.path): cannot write the weights file")
        }
    }

    /// Loads weights saved for the same architecture into `model`; the model is left unchanged
    /// when the file is damaged or does not match.
    public static func load(_ url: URL, into model: Model) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw Failure(description: "\(url.path): cannot read the weights file") }
        try decode(data, into: model, source: url.path)
    }

    /// The bytes of a weights file for `model`.
    ///
    /// ```swift
    /// let bytes = WeightsFile.encode(model)
    /// try WeightsFile.decode(bytes, into: sameArchitecture, source: "cache entry")
    /// ```
    public static func encode(_ model: Model) -> Data {
        var data = Data(magic)
        let header = Data(header(for: model).utf8)
        LittleEndian.append(formatVersion, to: &data)
        LittleEndian.append(UInt32(header.count), to: &data)
        data.append(header)
        data.reserveCapacity(data.count + model.parameterCount * 4 + 4)
        for parameter in model.parameters {
            for i in 0..<parameter.count { LittleEndian.append(parameter.value[i].bitPattern, to: &data) }
        }
        LittleEndian.append(CRC32.checksum(data), to: &data)
        return data
    }

    /// Reads the bytes of a weights file into `model`; `source` names them in errors. The model
    /// is left unchanged when the bytes are damaged or do not match its architecture.
    public static func decode(_ data: Data, into model: Model, source: String) throws {
        func fail(_ why: String) -> Failure { Failure(description: "\(source): \(why)") }
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 12, Array(bytes[0..<magic.count]) == magic else { throw fail("not a swift-lab weights file") }
        let version = LittleEndian.uint32(bytes, at: magic.count)
        guard version == formatVersion else { throw fail("weights format version \(version); this swift-lab reads version \(formatVersion)") }
        let headerLength = Int(LittleEndian.uint32(bytes, at: magic.count + 4))
        let headerStart = magic.count + 8
        let expectedValues = model.parameterCount
        let expectedSize = headerStart + headerLength + expectedValues * 4 + 4
        guard headerLength <= bytes.count, bytes.count >= headerStart + headerLength + 4 else { throw fail("the file is truncated") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header == Self.header(for: model) else { throw fail("the weights were saved for a different architecture") }
        guard bytes.count == expectedSize else { throw fail(bytes.count < expectedSize ? "the file is truncated" : "the file has trailing bytes") }
        let stored = LittleEndian.uint32(bytes, at: bytes.count - 4)
        guard stored == CRC32.checksum(data.prefix(bytes.count - 4)) else { throw fail("checksum mismatch: the file is damaged") }
        var offset = headerStart + headerLength
        for parameter in model.parameters {
            for i in 0..<parameter.count {
                parameter.value[i] = Float(bitPattern: LittleEndian.uint32(bytes, at: offset))
                offset += 4
            }
        }
    }

    static func header(for model: Model) -> String {
        let a = model.architecture
        var lines = ["engine \(Engine.version)", "kind \(a.kind.rawValue)", "input \(a.inputShape)",
                     "encoder \(a.encoder)", "latent \(a.latent)", "decoder \(a.decoder)", "loss \(a.loss.rawValue)"]
        lines += model.parameters.map { "\($0.name) \($0.shape)" }
        return lines.joined(separator: "\n")
    }

}
