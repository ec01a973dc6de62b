import Datasets
import Engine
import Foundation

/// Trained models and computed scores on disk, under the fingerprint of the step that made them,
/// so that re-running a lab whose prose or plots changed skips training and scoring.
///
/// A key covers everything that determines the result: the step's body, the fingerprints of the
/// names it reads (which reach back to the data files' SHA-256), the seed, the mode and the engine
/// version. An entry is one file: "SWLABCCH" · format version (UInt32) · metadata length (UInt32)
/// · metadata (JSON) · payload · CRC-32 of all that precedes it (UInt32), integers little-endian.
/// It is written to a temporary name and renamed into place; a damaged entry is reported and
/// removed, never used. Entries of version 1, which ended with the SHA-256 of the rest as 64 hex
/// digits, are still read; one of any other version is removed and counts as a miss.
///
/// ```swift
/// let cache = StepCache(directory: URL(fileURLWithPath: ".swift-lab/cache"))
/// try cache.store(StepCache.Entry(metadata: Data("{}".utf8), payload: weights), key: key)
/// if case .hit(let entry) = cache.lookup(key) { ... }
/// ```
struct StepCache {
    struct Entry: Equatable {
        var metadata: Data
        var payload: Data
    }

    enum Lookup: Equatable {
        case hit(Entry)
        case miss
        /// The entry exists but cannot be trusted; it has been removed.
        case damaged(String)
    }

    static let magic = Array("SWLABCCH".utf8)
    /// Version 2 ends with a CRC-32 instead of version 1's SHA-256: as quick to check as to read.
    static let formatVersion: UInt32 = 2

    let directory: URL

    func url(for key: String) -> URL { directory.appendingPathComponent(key + ".entry") }

    func lookup(_ key: String) -> Lookup {
        let url = url(for: key)
        guard let data = FileManager.default.contents(atPath: url.path) else { return .miss }
        do {
            return .hit(try Self.decode(data))
        } catch is Stale {
            try? FileManager.default.removeItem(at: url)
            return .miss
        } catch let error as Damage {
            try? FileManager.default.removeItem(at: url)
            return .damaged("\(url.path): \(error.reason)")
        } catch {
            return .damaged("\(url.path): \(error)")
        }
    }

    func store(_ entry: Entry, key: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        removeAbandonedTemporaries()
        let target = url(for: key)
        let temporary = directory.appendingPathComponent(".\(key).\(UUID().uuidString).tmp")
        try Self.encode(entry).write(to: temporary)
        guard rename(temporary.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Damage(reason: "cannot write \(target.path)")
        }
    }

    /// A run killed while writing an entry leaves its temporary file (never a damaged entry);
    /// one older than an hour belongs to no running writer and goes.
    func removeAbandonedTemporaries(olderThan age: TimeInterval = 3600) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in files where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let url = directory.appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
               Date().timeIntervalSince(modified) > age {
                try? FileManager.default.removeItem(at: url)
            }
        }
    }

    struct Damage: Error { var reason: String }
    /// An entry written by another version of the format: not damaged, just unusable.
    struct Stale: Error {}

    static func encode(_ entry: Entry) -> Data {
        var data = Data(magic)
        LittleEndian.append(formatVersion, to: &data)
        LittleEndian.append(UInt32(entry.metadata.count), to: &data)
        data.append(entry.metadata)
        data.append(entry.payload)
        LittleEndian.append(CRC32.checksum(data), to: &data)
        return data
    }

    static func decode(_ data: Data) throws -> Entry {
        let headerLength = magic.count + 8
        let header = [UInt8](data.prefix(headerLength))
        guard header.count == headerLength, Array(header[0..<magic.count]) == magic else { throw Damage(reason: "not a cache entry") }
        let version = LittleEndian.uint32(header, at: magic.count)
        guard version == 1 || version == formatVersion else { throw Stale() }
        let digestLength = version == 1 ? 64 : 4
        guard data.count >= headerLength + digestLength else { throw Damage(reason: "truncated") }
        let body = data.count - digestLength
        let intact = version == 1
            ? String(decoding: data.suffix(digestLength), as: UTF8.self) == SHA256.hex(of: data.prefix(body))
            : LittleEndian.uint32([UInt8](data.suffix(digestLength)), at: 0) == CRC32.checksum(data.prefix(body))
        guard intact else { throw Damage(reason: "checksum mismatch (truncated or altered)") }
        let metadataLength = Int(LittleEndian.uint32(header, at: magic.count + 4))
        guard headerLength + metadataLength <= body else { throw Damage(reason: "the metadata overruns the entry") }
        let start = data.startIndex
        return Entry(metadata: data.subdata(in: (start + headerLength)..<(start + headerLength + metadataLength)),
                     payload: data.subdata(in: (start + headerLength + metadataLength)..<(start + body)))
    }

}

extension StepCache {
    /// Scores as bytes: each Double's bit pattern, little-endian, so they come back exactly.
    static func bytes(of values: [Double]) -> Data {
        var data = Data(capacity: values.count * 8)
        for value in values { LittleEndian.append(value.bitPattern, to: &data) }
        return data
    }

    static func doubles(from data: Data) throws -> [Double] {
        guard data.count % 8 == 0 else { throw Damage(reason: "the scores are truncated") }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 8).map { Double(bitPattern: LittleEndian.uint64(bytes, at: $0)) }
    }
}
