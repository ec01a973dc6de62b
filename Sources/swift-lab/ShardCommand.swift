import ArgumentParser
import Datasets
import Foundation
import Report
import Runner
import Sharding

/// `run LAB --shard I/N` (or `auto`, `auto/N`): one shard's partial result.
enum ShardCommand {
    /// The shard `text` names, reading the scheduler's environment for `auto` and saying on
    /// stderr what it read.
    static func resolve(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        do {
            if let count = try SchedulerShard.count(inAuto: text) {
                let found = try SchedulerShard.read(environment, count: count)
                FileHandle.standardError.write(Data((TerminalText.escaped(found.explanation) + "\n").utf8))
                return found.shard
            }
            return try Shard(parsing: text)
        } catch let error as ShardError {
            throw ValidationError(TerminalText.escaped(error.description))
        }
    }

    /// `OUT/NAME.shard-I-of-N.json` for the lab `NAME.md`.
    static func partialPath(forLab lab: String, shard: Shard, in out: String) -> String {
        "\(out)/\(URL(fileURLWithPath: lab).deletingPathExtension().lastPathComponent).shard-\(shard.index)-of-\(shard.count).json"
    }

    static func run(lab: String, shard: Shard, options: RunOptions, out: String) throws {
        let path = partialPath(forLab: lab, shard: shard, in: out)
        Interruption.install(report: TerminalText.escaped(path))
        do {
            try ReportWriter.checkWritable(directory: out)
        } catch let error as ReportError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        }
        let partial: PartialResult
        do {
            partial = try LabRunner.runShard(file: lab, shard: shard, options: options)
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        }
        do {
            let data = try partial.encoded()
            try Interruption.whileWriting { try PartialFile.write(data, to: path) }
        } catch let error as ShardError {
            throw ReportOutput.failure("error: \(TerminalText.escaped(error.description))")
        }
        FileHandle.standardError.write(Data("shard \(shard): \(partial.variants.count) of the lab's \(partial.variantsInLab) challenge variants\n".utf8))
        print(TerminalText.escaped(path))
        if let failure = partial.failure {
            FileHandle.standardError.write(Data((TerminalText.escaped(failure) + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
