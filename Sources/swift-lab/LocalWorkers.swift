import ArgumentParser
import Datasets
import Engine
import Foundation
import Report
import Runner
import Sharding

/// `run LAB --jobs N`: N worker processes of this same program, each `run LAB --shard I/N`
/// into a temporary directory, then the merge of their partials into the report, as on a cluster
/// but on one machine. The workers share one cache, so the lab's own models are trained once
/// (the others wait for them, see `CacheLock`) and the merge reads them back; with `--no-cache`
/// that cache is a temporary one, removed with the partials. An interruption (Ctrl-C, `kill`)
/// stops every worker, removes the temporary directory and leaves any earlier report as it was.
///
/// ```swift
/// try LocalWorkers(lab: "Labs/001.md", count: 2, options: options, cacheDirectory: ".swift-lab/cache", arguments: ["--quick"])
///     .run(reportPath: "Output/001.html", out: "Output", templates: .builtIn)
/// ```
struct LocalWorkers {
    let lab: String
    let count: Int
    let options: RunOptions
    /// The cache the workers and the merge share; nil for a temporary one.
    let cacheDirectory: String?
    /// `--quick`, `--seed`, `--set` as the user typed them.
    let arguments: [String]

    /// The workers share the cores this process would use: each gets its share of the engine's
    /// threads (at least one), unless `SWIFT_LAB_THREADS` says otherwise. Results do not depend on
    /// the thread count, so this changes only the time.
    private var workerEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if environment["SWIFT_LAB_THREADS"] == nil { environment["SWIFT_LAB_THREADS"] = String(max(1, Engine.threads / count)) }
        return environment
    }

    func run(reportPath: String, out: String, templates: ReportTemplates) throws {
        do {
            try LabRunner.check(file: lab, overrides: options.overrides)
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = cacheDirectory ?? directory.appendingPathComponent("cache").path
        let program = try Self.executable()
        say("running the challenge variants in \(count) worker processes (logs and partials in \(directory.path))")
        let started = Date()
        var workers: [(shard: Shard, process: Process, log: URL)] = []
        for index in 1...count {
            let shard = try Shard(index: index, count: count)
            let process = Process()
            process.executableURL = program
            // The lab after "--", so that a file named like an option stays a file.
            process.arguments = ["run", "--shard=\(shard)", "--out=\(directory.path)", "--cache=\(cache)"] + arguments + ["--", lab]
            process.environment = workerEnvironment
            process.standardOutput = FileHandle.nullDevice
            let log = directory.appendingPathComponent("worker-\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            Interruption.add(worker: process.processIdentifier)
            workers.append((shard, process, log))
        }
        var partials: [String] = []
        for worker in workers {
            worker.process.waitUntilExit()
            let path = ShardCommand.partialPath(forLab: lab, shard: worker.shard, in: directory.path)
            if FileManager.default.fileExists(atPath: path) {
                partials.append(path)
                say("worker \(worker.shard) done after \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            } else if Interruption.stoppedWorkers == 0 {
                let tail = ((try? String(contentsOf: worker.log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: "\n")
                say("worker \(worker.shard) failed (exit status \(worker.process.terminationStatus)); the end of its log:\n\(tail)")
            }
        }
        Interruption.forgetWorkers()
        if Interruption.stoppedWorkers != 0 {
            Interruption.sayInterrupted()
            throw ExitCode(1)
        }
        // A merge of what is left would only say which shards are missing, not why.
        guard partials.count == workers.count else {
            throw ReportOutput.failure("error: \(workers.count - partials.count) of \(count) workers failed (the end of each log is above), so \(TerminalText.escaped(reportPath)) was not written")
        }
        let outcome: LabRunner.Outcome
        do {
            var merging = options
            merging.cacheDirectory = cache
            outcome = try LabRunner.merge(try PartialSet.read(paths: partials), options: merging, templates: templates)
        } catch let error as ShardError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        }
        say("\(count) workers and the merge took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        try ReportOutput.finish(outcome, path: reportPath, out: out)
    }

    private func say(_ text: String) { FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingNewlines: true) + "\n").utf8)) }

    /// This program's own file, for the workers.
    static func executable() throws -> URL {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: path)
    }

    /// A new private directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        var template = Array((FileManager.default.temporaryDirectory.path + "/swift-lab-jobs-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ReportOutput.failure("error: cannot make a temporary directory for the workers: \(String(cString: strerror(errno)))") }
        return URL(fileURLWithPath: String(cString: made))
    }
}
