import Foundation

/// The contents of one file of a report, written in full and synced before the file has a name a
/// reader uses.
///
/// Where the file system allows it the file has no name at all (`O_TMPFILE`) until ``name()``, so
/// that a writer killed meanwhile leaves nothing; elsewhere it is `.NAME.PID.tmp` from the start.
/// A file that is never moved into place is removed when the value goes.
final class StagedFile {
    let target: URL
    private var descriptor: Int32 = -1
    /// The temporary name, once it has one.
    private var temporary: URL?

    /// `unnamed: false` takes the path of file systems without unnamed files (for tests).
    init(_ data: Data, for target: URL, unnamed: Bool = true) throws {
        self.target = target
        let directory = target.deletingLastPathComponent().path
        descriptor = unnamed ? open(directory, Self.unnamed | O_WRONLY | O_CLOEXEC, 0o644) : -1
        if descriptor < 0 {
            // EISDIR, EOPNOTSUPP or EINVAL: a file system (or kernel) without unnamed files. The
            // name is created afresh (O_EXCL, O_NOFOLLOW): what someone left under it, a symlink
            // to another file above all, is removed, never written through.
            let named = Pair.temporary(for: target)
            unlink(named.path)
            descriptor = open(named.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw failure() }
            temporary = named
        }
        try write(data)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let temporary { unlink(temporary.path) }
    }

    /// Gives the unnamed file its temporary name beside the target.
    func name() throws {
        guard temporary == nil else { return }
        let named = Pair.temporary(for: target)
        unlink(named.path)
        // Linking a descriptor by itself needs a capability; through /proc it needs none.
        if linkat(descriptor, "", AT_FDCWD, named.path, Self.emptyPath) != 0,
           linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, named.path, AT_SYMLINK_FOLLOW) != 0 {
            throw failure()
        }
        temporary = named
    }

    func moveIntoPlace() throws {
        guard let temporary else { throw ReportError("cannot write \(target.path): it was never named") }
        guard rename(temporary.path, target.path) == 0 else { throw failure() }
        self.temporary = nil
    }

    /// Writes every byte and syncs, or throws with the cause (errno's text): Foundation's own
    /// errors on Linux are NSError descriptions a reader cannot act on.
    private func write(_ data: Data) throws {
        var failed: ReportError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = failure()
                    return
                }
                offset += written
            }
        }
        if let failed { throw failed }
        guard fsync(descriptor) == 0 else { throw failure() }
    }

    private func failure() -> ReportError { ReportError("cannot write \(target.path): \(ReportWriter.cause())") }

    /// Linux's `O_TMPFILE`, which Swift's Glibc module does not export: a file with no name in
    /// the directory given.
    static let unnamed: Int32 = 0o20000000 | O_DIRECTORY
    /// Linux's `AT_EMPTY_PATH`, likewise not exported: `linkat` on the descriptor itself.
    private static let emptyPath: Int32 = 0x1000
}
