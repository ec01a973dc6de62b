import Foundation

/// An exclusive lock on a directory (`flock`), so that two writers of the same report commit
/// their pairs one after the other and never interleave their renames.
enum DirectoryLock {
    /// A locked directory: `sync()` makes the renames in it durable.
    struct Locked {
        fileprivate let descriptor: Int32
        func sync() { if descriptor >= 0 { fsync(descriptor) } }
    }

    /// Runs `body` holding the lock. Where the file system cannot lock (some network file
    /// systems), `body` runs unlocked: one writer at a time is then the user's affair, as before.
    static func holding<T>(_ directory: URL, _ body: (Locked) throws -> T) throws -> T {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReportError("cannot write reports to \(directory.path): \(ReportWriter.cause())") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        return try body(Locked(descriptor: descriptor))
    }
}
