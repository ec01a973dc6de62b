import Foundation

/// An exclusive lock on a directory (`flock`), so that two writers of the same report commit
/// their pairs one after the other and never interleave their renames.
enum DirectoryLock {
    /// A locked directory: `sync()` makes the renames in it durable.
    struct Locked {
        fileprivate let descriptor: Int32
        func sync() { if descriptor >= 0 { fsync(descriptor) } }
    }

    /// Runs `body` holding the lock, calling `waiting` first when another process holds it.
    /// Where the directory cannot be opened for reading (mode 300) or the file system cannot
    /// lock (some network file systems), `body` runs unlocked: one writer at a time is then the
    /// user's affair, as before.
    static func holding<T>(_ directory: URL, waiting: () -> Void = {}, _ body: (Locked) throws -> T) throws -> T {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return try body(Locked(descriptor: -1)) }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        return try body(Locked(descriptor: descriptor))
    }

    /// Runs `body` if the lock is free now; nil, without waiting, if another process holds it.
    static func ifFree<T>(_ directory: URL, _ body: () throws -> T) rethrows -> T? {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK else { return nil }
        return try body()
    }
}
