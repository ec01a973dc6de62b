import Foundation

extension SHA256 {
    /// The SHA-256 of the bytes of the file at `path` as stored (not decompressed), read one
    /// chunk at a time; nil when it is not a regular file (see `RegularFile`) or cannot be read.
    public static func hex(ofFileAt path: String) -> String? {
        guard RegularFile.problem(at: path) == nil, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = SHA256()
        do {
            // nil or empty: the end of the file.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(chunk) }
        } catch {
            return nil
        }
        return hash.finalizeHex()
    }
}
