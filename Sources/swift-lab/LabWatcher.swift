import Foundation

/// Waits for a save to any of `paths`, for `run --watch`.
///
/// It polls each file's identity (device, inode, size, modification time) a few times a second:
/// editors save by writing in place or by renaming a new file over the old one, and polling sees
/// both, where a watch on the file itself would lose track after a rename.
///
/// ```swift
/// let watcher = LabWatcher(paths: ["Labs/my-lab.md"])
/// watcher.waitForChange()   // returns once the file has been saved and has settled
/// ```
struct LabWatcher {
    let paths: [String]
    /// How often the files are looked at, and how long a change must hold still before a run
    /// starts (an editor may write a file in several pieces).
    static let pollInterval: useconds_t = 250_000

    private struct FileState: Equatable {
        var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = -1, seconds: Int = 0, nanoseconds: Int = 0
    }

    /// Returns once some file differs from when the call began and has stayed the same for one
    /// more poll. A missing file is waited for: an editor may be between deleting and renaming.
    /// Returns the paths that changed.
    @discardableResult
    func waitForChange() -> [String] {
        let start = states()
        var seen = start
        while true {
            usleep(Self.pollInterval)
            let now = states()
            // A file that was there and is gone may be mid-save; one that never was is no reason to wait.
            let midSave = zip(start, now).contains { before, after in before != FileState() && after == FileState() }
            if now != start, now == seen, !midSave { return zip(paths, zip(start, now)).filter { $1.0 != $1.1 }.map(\.0) }
            seen = now
        }
    }

    private func states() -> [FileState] {
        paths.map { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return FileState() }
            return FileState(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                             seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        }
    }
}
