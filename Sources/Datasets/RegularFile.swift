import Foundation

/// Labs and data are read from regular files only. A FIFO would block the reader forever (opening
/// one for reading waits for a writer), a device may never end, and a directory would only fail
/// later with a misleading message; so each is refused by looking at the path before opening it.
///
/// ```swift
/// RegularFile.problem(at: "/tmp/fifo")    // "not a regular file (a FIFO)"
/// RegularFile.problem(at: "data/mnist")   // "is a directory"
/// ```
public enum RegularFile {
    /// Why `path` is not a regular file, as the end of a sentence that starts with the path; nil
    /// for a regular file (symbolic links are followed) and for a path that names nothing, which
    /// the caller's own open then reports in its words.
    public static func problem(at path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return problem(mode: info.st_mode)
    }

    /// The same judgement for a file already open, so that a path swapped between the check and
    /// the open is still caught.
    static func problem(descriptor: Int32) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "cannot be examined" }
        return problem(mode: info.st_mode)
    }

    private static func problem(mode: mode_t) -> String? {
        switch mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): return nil
        case mode_t(S_IFDIR): return "is a directory"
        case mode_t(S_IFIFO): return "not a regular file (a FIFO)"
        case mode_t(S_IFCHR): return "not a regular file (a character device)"
        case mode_t(S_IFBLK): return "not a regular file (a block device)"
        case mode_t(S_IFSOCK): return "not a regular file (a socket)"
        default: return "not a regular file"
        }
    }
}
