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
    static func holding<T>(_ directory: URL, waiting: () -> Void = {}, _ body: (Locked) throws -> T) rethrows -> T {
        try withDescriptor(directory) { descriptor in
            if descriptor >= 0, !tryLock(descriptor) {
                waiting()
                while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
            }
            return try body(Locked(descriptor: descriptor))
        }
    }

    /// Runs `body` if the lock is free now; nil, without waiting, if another process holds it.
    static func ifFree<T>(_ directory: URL, _ body: () throws -> T) rethrows -> T? {
        try withDescriptor(directory) { descriptor in
            descriptor < 0 || tryLock(descriptor) ? try body() : nil
        }
    }

    /// The directory opened for locking, or -1 where it cannot be (then nothing is locked).
    private static func withDescriptor<T>(_ directory: URL, _ body: (Int32) throws -> T) rethrows -> T {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if descriptor >= 0 { close(descriptor) } }
        return try body(descriptor)
    }

    /// Takes the lock unless another process holds it; true also where locking is unsupported.
    private static func tryLock(_ descriptor: Int32) -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK
    }
}
