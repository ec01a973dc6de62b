import Foundation

/// A lock per cache key (`flock` on `locks/KEY.lock` in the cache directory), so that runs
/// sharing a cache, on one machine or on a shared file system, compute each entry once: the first
/// run to miss takes the lock and computes; the others wait on it, then find the entry.
///
/// ```swift
/// if let lock = CacheLock.acquire(key, in: cache.directory, waiting: { print("waiting") }) {
///     // compute, store, then:
///     lock.release(entryStored: true)
/// }
/// ```
final class CacheLock {
    private let url: URL
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    /// Takes the lock for `key`, calling `waiting` first if another process holds it; nil when the
    /// file system cannot lock (the run then computes without waiting, as before).
    static func acquire(_ key: String, in directory: URL, waiting: () -> Void) -> CacheLock? {
        let locks = directory.appendingPathComponent("locks")
        try? FileManager.default.createDirectory(at: locks, withIntermediateDirectories: true)
        let url = locks.appendingPathComponent(key + ".lock")
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return nil }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { close(descriptor); return nil }
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { close(descriptor); return nil }
            }
        }
        return CacheLock(url: url, descriptor: descriptor)
    }

    /// Releases the lock. Once the entry is stored its lock file goes too: a run still waiting on
    /// it, or one that makes a new one, finds the entry.
    func release(entryStored: Bool) {
        guard descriptor >= 0 else { return }
        if entryStored { unlink(url.path) }
        close(descriptor)
        descriptor = -1
    }

    deinit { release(entryStored: false) }
}
