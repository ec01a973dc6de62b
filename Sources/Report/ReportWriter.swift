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
    public static func write(html: String, json: String, to path: String) throws {
        let pair = Pair(reportPath: path)
        try createDirectory(pair.directory.path)
        let report = try StagedFile(Data(html.utf8), for: pair.report)
        let results = try StagedFile(Data(json.utf8), for: pair.results)
        try DirectoryLock.holding(pair.directory) { directory in
            pair.finishInterruptedWrites()
            try withTerminationHeld {
                // Named only now, for the microseconds until the renames.
                try report.name()
                try results.name()
                try report.moveIntoPlace()
                try results.moveIntoPlace()
            }
            directory.sync()
        }
    }

    /// Before a long run: throws unless the report's directory exists (or can be made) and a file
    /// can be created in it, so that a run of many minutes does not end in "cannot write"; and
    /// finishes, or removes, what a killed writer left beside the report.
    public static func prepare(_ path: String) throws {
        let pair = Pair(reportPath: path)
        try checkWritable(directory: pair.directory.path)
        try DirectoryLock.holding(pair.directory) { _ in pair.finishInterruptedWrites() }
    }

    /// Throws unless `directory` exists (or can be made) and a file can be created in it.
    public static func checkWritable(directory: String) throws {
        try createDirectory(directory)
        let probe = URL(fileURLWithPath: directory).appendingPathComponent(".swift-lab-probe.\(getpid()).tmp")
        defer { unlink(probe.path) }
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ReportError("cannot write reports to \(directory): \(cause())") }
        close(descriptor)
    }

    private static func createDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError("cannot write reports to \(path): it is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create the report directory \(path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
    }

    static func cause() -> String { String(cString: strerror(errno)).lowercased() }

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
            if targets == [results] {
                if rename(Self.temporary(for: results, pid: pid).path, results.path) == 0 { continue }
            }
            for target in targets { unlink(Self.temporary(for: target, pid: pid).path) }
        }
    }
}
