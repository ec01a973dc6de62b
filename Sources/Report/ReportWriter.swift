import Foundation

/// Writes a report and its JSON so that a reader never sees half of either, and so that the two
/// go into place as a pair.
///
/// Both are written in full and synced to unnamed files in the target directory (`O_TMPFILE`):
/// a run killed at any moment while they are written leaves nothing behind, because an unnamed
/// file goes with its process. Then, holding the directory's lock and the termination signals,
/// each gets a temporary name and the two are renamed into place, report first. The one moment
/// that can split the pair is a `SIGKILL` between those two renames, a few microseconds: it leaves
/// the new report and `.NAME.json.PID.tmp`, the complete new results. The next write to the same
/// place, and ``prepare(_:)`` before a run, finish that move; `swift-lab diff` refuses the
/// mismatched pair meanwhile.
///
/// A failed write (a full disk, no permission) leaves the previous pair and no temporary file, and
/// throws one sentence naming the file and the cause.
///
/// ```swift
/// try ReportWriter.prepare("Output/lab.html")               // before a long run
/// try ReportWriter.write(html: html, json: json, to: "Output/lab.html")
/// ```
public enum ReportWriter {
    /// Writes the pair. `waiting` is called if another run is putting its pair in the same
    /// directory (the wait is interruptible: nothing is named yet); `committing` wraps the renames
    /// alone, for a caller that must know whether an interruption came before or after them.
    public static func write(html: String, json: String, to path: String, waiting: () -> Void = {},
                             committing: (() throws -> Void) throws -> Void = { try $0() }) throws {
        let pair = Pair(reportPath: path)
        try createDirectory(pair.directory.path)
        let report = try StagedFile(Data(html.utf8), for: pair.report)
        let results = try StagedFile(Data(json.utf8), for: pair.results)
        try DirectoryLock.holding(pair.directory, waiting: waiting) { directory in
            pair.finishInterruptedWrites()
            try pair.checkTargets()
            try committing {
                try withTerminationHeld {
                    // Named only now, for the microseconds until the renames.
                    try report.name()
                    try results.name()
                    try report.moveIntoPlace()
                    try results.moveIntoPlace()
                }
            }
            directory.sync()
        }
    }

    /// Before a long run: throws unless the report's directory exists (or can be made) and the
    /// pair's files, temporary names included, can be created in it, so that a run of many minutes
    /// does not end in "cannot write"; and finishes, or removes, what a killed writer left beside
    /// the report (unless another run is writing there now: that one will).
    public static func prepare(_ path: String) throws {
        let pair = Pair(reportPath: path)
        try checkWritable(directory: pair.directory.path)
        try pair.checkTargets()
        // The temporary names are measured, not made: a file made and removed here would be left
        // by a kill in between, under a name the next run takes for a killed writer's results.
        let longest = pathconf(pair.directory.path, Int32(_PC_NAME_MAX))
        for target in [pair.report, pair.results] where longest > 0 && Pair.temporary(for: target).lastPathComponent.utf8.count > longest {
            throw ReportError("cannot write \(target.path): \(cause(ENAMETOOLONG))")
        }
        DirectoryLock.ifFree(pair.directory) { pair.finishInterruptedWrites() }
    }

    /// Throws unless `directory` exists (or can be made) and a file can be created in it.
    ///
    /// The file it makes has no name (`O_TMPFILE`), so a kill leaves nothing behind; where that
    /// fails (a file system without unnamed files, or one that cannot be written), a named one is
    /// tried, whose error says why.
    public static func checkWritable(directory: String) throws {
        try createDirectory(directory)
        let unnamed = open(directory, StagedFile.unnamed | O_WRONLY | O_CLOEXEC, 0o644)
        if unnamed >= 0 {
            close(unnamed)
            return
        }
        let probe = URL(fileURLWithPath: directory).appendingPathComponent(".swift-lab-probe.\(getpid()).tmp")
        defer { unlink(probe.path) }
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ReportError("cannot write reports to \(directory): \(cause())") }
        close(descriptor)
    }

    /// Makes `path` and its parents as `mkdir -p` does, saying which part is in the way.
    private static func createDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw ReportError("cannot create the report directory \(path): \(cause())")
            }
            var status = stat()
            guard stat(current, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw ReportError("cannot write reports to \(path): \(current == path ? "it" : current) is not a directory")
            }
        }
    }

    static func cause(_ code: Int32 = errno) -> String { String(cString: strerror(code)).lowercased() }

    /// Runs `body` with SIGINT, SIGTERM, SIGHUP and SIGQUIT blocked; one that arrived meanwhile
    /// is delivered when they are unblocked, after `body`.
    private static func withTerminationHeld(_ body: () throws -> Void) rethrows {
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&held, signal) }
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try body()
    }
}

/// A report `NAME.html`, its results `NAME.json`, and what writers leave beside them.
struct Pair {
    let report: URL
    let results: URL
    var directory: URL { report.deletingLastPathComponent() }

    init(reportPath: String) {
        report = URL(fileURLWithPath: reportPath)
        results = report.deletingPathExtension().appendingPathExtension("json")
    }

    /// `.NAME.PID.tmp`: the PID tells a live writer's file from a killed one's.
    static func temporary(for target: URL, pid: Int32 = getpid()) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(pid).tmp")
    }

    /// Throws unless each of the pair's names is free or a file (or a link): a directory, a
    /// device or a FIFO in its place would stop the second rename after the first had happened.
    func checkTargets() throws {
        for target in [report, results] {
            var status = stat()
            guard lstat(target.path, &status) == 0 else { continue }
            let type = status.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK else { throw ReportError("cannot write \(target.path): something other than a file is in its place") }
        }
    }

    /// What killed writers left, by writer: a writer names both files before it renames either,
    /// and renames the report first, so a results file left without its report is the second
    /// half of a pair whose first half is in place, and moving it in completes that pair.
    /// Anything else a dead writer left never reached a name a reader uses, and goes.
    /// Call with the directory locked.
    func finishInterruptedWrites() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        var left: [Int32: Set<URL>] = [:]
        for target in [report, results] {
            let prefix = ".\(target.lastPathComponent)."
            for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
                guard let pid = Int32(name.dropFirst(prefix.count).dropLast(4)), pid > 0, pid != getpid() else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { left[pid, default: []].insert(target) }
            }
        }
        for (pid, targets) in left {
            let left = Self.temporary(for: results, pid: pid)
            var status = stat()
            // Only a file goes into place, as the writer left it; anything else is not its.
            if targets == [results], lstat(left.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
               (try? checkTargets()) != nil, rename(left.path, results.path) == 0 { continue }
            for target in targets { unlink(Self.temporary(for: target, pid: pid).path) }  // a directory stays: unlink refuses it
        }
    }
}
