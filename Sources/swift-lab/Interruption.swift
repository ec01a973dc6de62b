import Foundation

/// An interrupted `run` (Ctrl-C, `kill`, a closed terminal) ends with one sentence and exit
/// status 1 instead of dying mid-line. While the report and its JSON are being put in place an
/// interruption waits until both are, so it lands before the pair is replaced (the previous pair
/// stays as it was) or after (the new pair is in place), and the sentence says which.
///
/// ```swift
/// Interruption.install(report: "Output/lab.html")
/// try ReportWriter.write(html: html, json: json, to: "Output/lab.html", committing: Interruption.whileWriting)
/// ```
enum Interruption {
    // Flags a signal handler may read and write (any thread may take the signal).
    nonisolated(unsafe) static var reportWritten: sig_atomic_t = 0
    nonisolated(unsafe) fileprivate static var writing: sig_atomic_t = 0
    nonisolated(unsafe) fileprivate static var pending: sig_atomic_t = 0
    /// `run --watch` between runs: Ctrl-C is the way out, not an interruption.
    nonisolated(unsafe) fileprivate static var idle: sig_atomic_t = 0

    /// The two sentences, made before any signal can arrive: a handler must not allocate.
    nonisolated(unsafe) fileprivate static var before: [CChar] = []
    nonisolated(unsafe) fileprivate static var after: [CChar] = []
    nonisolated(unsafe) fileprivate static var stopped: [CChar] = Array("\nswift-lab: stopped watching\n".utf8CString)

    /// `run --jobs`' worker processes, which an interruption stops before the parent ends: the
    /// parent then waits for them, removes their partials and exits (see `LocalWorkers`).
    nonisolated(unsafe) fileprivate static var workers = UnsafeMutablePointer<pid_t>.allocate(capacity: 256)
    nonisolated(unsafe) fileprivate static var workerCount: sig_atomic_t = 0
    nonisolated(unsafe) static var stoppedWorkers: sig_atomic_t = 0

    /// Registers a started worker (at most 256).
    static func add(worker pid: pid_t) {
        guard workerCount < 256 else { return }
        workers[Int(workerCount)] = pid
        workerCount += 1
    }

    /// After the workers ended: an interruption ends the process again.
    static func forgetWorkers() { workerCount = 0 }

    /// The sentence for an interruption, written once the workers have been waited for.
    static func sayInterrupted() {
        let sentence = reportWritten != 0 ? after : before
        sentence.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    }

    static func install(report: String) {
        before = Array("\nswift-lab: interrupted; \(report) was not written, and any earlier one is unchanged\n".utf8CString)
        after = Array("\nswift-lab: interrupted after \(report) was written\n".utf8CString)
        reportWritten = 0
        for signal in [SIGINT, SIGTERM, SIGHUP] { Foundation.signal(signal, interrupted) }
    }

    /// Marks the wait between two runs of `run --watch`, when a signal ends the process quietly.
    static func watching(_ waiting: Bool) {
        idle = waiting ? 1 : 0
    }

    /// Runs `body` (the writes) with interruptions held until it is done; one that came
    /// meanwhile then ends the process.
    static func whileWriting(_ body: () throws -> Void) rethrows {
        writing = 1
        defer {
            writing = 0
            if pending != 0 { interrupted(SIGINT) }
        }
        try body()
        reportWritten = 1
    }
}

/// Only async-signal-safe calls: write(2), kill(2) and _exit(2).
private func interrupted(_ signal: Int32) {
    if Interruption.workerCount > 0 {
        for i in 0..<Int(Interruption.workerCount) { kill(Interruption.workers[i], SIGTERM) }
        Interruption.stoppedWorkers = 1
        return
    }
    if Interruption.writing != 0 {
        Interruption.pending = 1
        return
    }
    if Interruption.idle != 0 {
        Interruption.stopped.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
        _exit(0)
    }
    let sentence = Interruption.reportWritten != 0 ? Interruption.after : Interruption.before
    sentence.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    _exit(1)
}
