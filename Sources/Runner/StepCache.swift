import Datasets
import Engine
import Foundation

/// Trained models and computed scores on disk, under the fingerprint of the step that made them,
/// so that re-running a lab whose prose or plots changed skips training and scoring.
///
/// A key covers everything that determines the result: the step's body, the fingerprints of the
/// names it reads (which reach back to the data files' SHA-256), the seed, the mode and the engine
/// version. An entry is one file: "SWLABCCH" · format version (UInt32) · key length (UInt32) · key
/// (UTF-8) · metadata length (UInt32) · metadata (JSON) · payload · CRC-32 of all that precedes it
/// (UInt32), integers little-endian. It is written to a temporary name and renamed into place; a
/// damaged entry, or one that records another key than its file name's (a misfiled entry, such as
/// two entries swapped on disk), is reported and removed, never used. Entries of earlier formats,
/// which did not record their key, count as a miss and are written anew.
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
    /// Version 3 records the entry's key; version 2 ended with a CRC-32 instead of version 1's
    /// SHA-256, as quick to check as to read.
    static let formatVersion: UInt32 = 3

    let directory: URL

    func url(for key: String) -> URL { directory.appendingPathComponent(key + ".entry") }

    func lookup(_ key: String) -> Lookup {
        let url = url(for: key)
        guard let data = FileManager.default.contents(atPath: url.path) else { return .miss }
        do {
            return .hit(try Self.decode(data, key: key))
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
        try Self.encode(entry, key: key).write(to: temporary)
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

    static func encode(_ entry: Entry, key: String) -> Data {
        var data = Data(magic)
        LittleEndian.append(formatVersion, to: &data)
        LittleEndian.append(UInt32(key.utf8.count), to: &data)
        data.append(contentsOf: Array(key.utf8))
        LittleEndian.append(UInt32(entry.metadata.count), to: &data)
        data.append(entry.metadata)
        data.append(entry.payload)
        LittleEndian.append(CRC32.checksum(data), to: &data)
        return data
    }

    /// The entry in `data`, which must have been written for `key`.
    static func decode(_ data: Data, key: String) throws -> Entry {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 4, Array(bytes[0..<magic.count]) == magic else { throw Damage(reason: "not a cache entry") }
        guard LittleEndian.uint32(bytes, at: magic.count) == formatVersion else { throw Stale() }
        guard bytes.count >= magic.count + 8 else { throw Damage(reason: "truncated") }
        let body = bytes.count - 4
        guard LittleEndian.uint32(bytes, at: body) == CRC32.checksum(data.prefix(body)) else {
            throw Damage(reason: "checksum mismatch (truncated or altered)")
        }
        // Lengths are read from intact bytes, but are still checked before they index anything.
        var offset = magic.count + 4
        func field() throws -> Range<Int> {
            guard offset + 4 <= body else { throw Damage(reason: "a length overruns the entry") }
            let length = Int(LittleEndian.uint32(bytes, at: offset))
            guard length <= body - offset - 4 else { throw Damage(reason: "a length overruns the entry") }
            defer { offset += 4 + length }
            return (offset + 4)..<(offset + 4 + length)
        }
        let recordedKey = try field()
        guard bytes[recordedKey].elementsEqual(key.utf8) else { throw Damage(reason: "it was written for another step (a misfiled entry)") }
        let metadata = try field()
        return Entry(metadata: Data(bytes[metadata]), payload: Data(bytes[offset..<body]))
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
