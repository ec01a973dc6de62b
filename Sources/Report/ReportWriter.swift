import Foundation

/// Writes a report and its JSON so that a reader never sees half of either: both are written in
/// full to temporary files beside their targets, then renamed into place one after the other
/// with the usual termination signals held back, so an interrupt lands before or after the pair.
///
/// A failed write (a full disk, no permission) removes both temporary files and throws one
/// sentence naming the file and the cause. A `SIGKILL` between the two renames, which nothing can
/// hold back, leaves the new report beside the old JSON: the report's digest then disagrees with
/// the JSON, which `swift-lab diff` detects, and the next write to the same place removes the
/// killed writer's temporary file.
///
/// ```swift
/// try ReportWriter.checkWritable(directory: "Output")      // before a long run
/// try ReportWriter.write(html: html, json: json, to: "Output/lab.html")
/// ```
public enum ReportWriter {
    public static func write(html: String, json: String, to path: String) throws {
        let report = URL(fileURLWithPath: path)
        let results = report.deletingPathExtension().appendingPathExtension("json")
        try createDirectory(report.deletingLastPathComponent().path)
        removeAbandonedTemporaries(of: [report, results])
        let reportTemporary = temporary(for: report), resultsTemporary = temporary(for: results)
        defer {
            unlink(reportTemporary.path)
            unlink(resultsTemporary.path)
        }
        try writeFile(Data(html.utf8), to: reportTemporary, naming: report)
        try writeFile(Data(json.utf8), to: resultsTemporary, naming: results)
        try withTerminationHeld {
            try move(reportTemporary, to: report)
            try move(resultsTemporary, to: results)
        }
    }

    /// Throws unless `directory` exists (or can be made) and a file can be created in it: checked
    /// before a run, so that a run of many minutes does not end in "cannot write".
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

    /// `.NAME.PID.tmp`: the PID tells a live writer's file from a killed one's.
    private static func temporary(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    }

    /// Removes `.NAME.PID.tmp` files for these targets whose writer is no longer running.
    private static func removeAbandonedTemporaries(of targets: [URL]) {
        guard let directory = targets.first?.deletingLastPathComponent(),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for target in targets {
            let prefix = ".\(target.lastPathComponent)."
            for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
                guard let pid = Int32(name.dropFirst(prefix.count).dropLast(4)), pid != getpid() else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory.appendingPathComponent(name).path) }
            }
        }
    }

    /// Writes every byte or throws with the cause (errno's text): Foundation's own errors on
    /// Linux are NSError descriptions a reader cannot act on.
    private static func writeFile(_ data: Data, to temporary: URL, naming target: URL) throws {
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ReportError("cannot write \(target.path): \(cause())") }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = cause()
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = cause() }
        if close(descriptor) != 0, failure == nil { failure = cause() }
        if let failure { throw ReportError("cannot write \(target.path): \(failure)") }
    }

    private static func move(_ temporary: URL, to target: URL) throws {
        guard rename(temporary.path, target.path) == 0 else { throw ReportError("cannot write \(target.path): \(cause())") }
    }

    private static func cause() -> String { String(cString: strerror(errno)).lowercased() }

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
