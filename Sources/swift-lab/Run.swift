import ArgumentParser
import Datasets
import Foundation
import Report
import Runner

/// `swift-lab run LAB`: runs every step and writes the report.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lab and write its HTML report (and the results as JSON beside it).",
        discussion: "Trained models and scores are cached (in .swift-lab/cache unless --cache says otherwise) under a key of everything that determines them; --no-cache runs every step afresh. --quick keeps at most 2,000 samples per load step, trains at most 2 epochs, draws at most 5 samples of z per score, grows Isolation Forests of at most 100 trees, and tries at most 3 values of each challenge (the first, middle and last), each trained for at most 1 epoch: a first look in seconds.")

    @Argument(help: "The lab file.")
    var lab: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter, as name=value.", valueName: "name=value"))
    var overrides: [String] = []

    @Option(parsing: .unconditional, help: "Seed of every random choice (default: the lab's); may be negative.")
    var seed: Int?

    @Option(help: ArgumentHelp("Directory for the report.", valueName: "dir"))
    var out: String = "Output"

    @Flag(help: "A fast, smaller run: see the discussion above.")
    var quick = false

    @Option(help: ArgumentHelp("Directory of the cache of trained models and scores.", valueName: "dir"))
    var cache: String = RunOptions.defaultCacheDirectory

    @Flag(help: "Neither read nor write the cache.")
    var noCache = false

    @Option(name: .customLong("params"), help: ArgumentHelp("A YAML file of parameter values, one 'name: value' per line; --set wins over it.", valueName: "file.yml"))
    var parametersFile: String?

    @Flag(help: "After the run, run again whenever the lab (or the --params file) is saved, taking unchanged models and scores from the cache; Ctrl-C stops.")
    var watch = false

    @Option(help: ArgumentHelp("Run the steps every challenge variant needs and the I-th of N shares of the variants, and write a partial result (NAME.shard-I-of-N.json in --out) for swift-lab merge. 'auto' reads a Slurm array's task; 'auto/N' a Kubernetes Indexed Job's JOB_COMPLETION_INDEX of N completions.", valueName: "I/N|auto|auto/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Run the challenge variants in N local worker processes (shards) and merge their partials into the report.", valueName: "N"))
    var jobs: Int = 1

    /// More workers than this is a typing mistake, not a machine.
    static let maximumJobs = 64

    func validate() throws {
        guard (1...Self.maximumJobs).contains(jobs) else { throw ValidationError("--jobs must be 1 to \(Self.maximumJobs), not \(jobs)") }
        if jobs > 1, shard != nil { throw ValidationError("--jobs runs its own shards: give --jobs or --shard, not both") }
        if watch, shard != nil { throw ValidationError("--watch runs the whole lab again on each save: give --watch or --shard, not both") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: lab) else {
            FileHandle.standardError.write(Data("\(TerminalText.escaped(lab)): error: no such file or directory\n".utf8))
            throw ExitCode(2)
        }
        // An empty --out (an unset variable in a script) would otherwise mean "/".
        guard !out.isEmpty else { throw ValidationError("--out is empty: give the directory for the report (Output by default)") }
        guard watch else { return try runOnce() }
        let watched = LabWatcher(paths: [lab] + (parametersFile.map { [$0] } ?? []))
        while true {
            do {
                try runOnce()
            } catch let code as ExitCode where code != .success {
                // The problem is printed; the next save may fix it.
            }
            Interruption.watching(true)
            FileHandle.standardError.write(Data("watching \(watched.paths.map { TerminalText.escaped($0) }.joined(separator: " and ")) for changes; Ctrl-C stops\n".utf8))
            let changed = watched.waitForChange()
            Interruption.watching(false)
            FileHandle.standardError.write(Data("\(changed.map { TerminalText.escaped($0) }.joined(separator: " and ")) changed: running \(TerminalText.escaped(lab)) again\n".utf8))
        }
    }

    /// One run: the report written, or the reason on stderr and a nonzero `ExitCode` thrown.
    private func runOnce() throws {
        let options = RunOptions(quick: quick, seed: seed, overrides: try ParameterOverrides.combined(parametersFile: parametersFile, sets: overrides, lab: lab),
                                 cacheDirectory: noCache ? nil : cache, progress: ProgressPrinter().handle)
        if let shard {
            return try ShardCommand.run(lab: lab, shard: try ShardCommand.resolve(shard), options: options, out: out)
        }
        let path = ReportOutput.path(forLab: lab, in: out)
        Interruption.install(report: TerminalText.escaped(path))
        try ReportOutput.prepare(path)
        if jobs > 1 {
            return try LocalWorkers(lab: lab, count: jobs, options: options, cacheDirectory: noCache ? nil : cache,
                                    arguments: workerArguments).run(reportPath: path, out: out, templates: try Self.templates())
        }
        let outcome: LabRunner.Outcome
        do {
            outcome = try LabRunner.run(file: lab, options: options, templates: try Self.templates())
        } catch let error as LabRunError {
            throw ReportOutput.failure(error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n"))
        } catch {
            // Anything else is a fault of this program, not of the lab: say so in one sentence.
            throw ReportOutput.failure("\(TerminalText.escaped(lab)): error: the report could not be made: \(TerminalText.escaped(error.localizedDescription))")
        }
        try ReportOutput.finish(outcome, path: path, out: out)
    }

    /// What each `--jobs` worker is given beside its lab, shard, output and cache: the options
    /// that decide the numbers, as typed, each joined to its value by `=` so that a value that
    /// starts with a dash (a file `-sweep.yml`) is not taken for an option.
    private var workerArguments: [String] {
        (quick ? ["--quick"] : []) + (seed.map { ["--seed=\($0)"] } ?? []) + (parametersFile.map { ["--params=\($0)"] } ?? [])
            + overrides.map { "--set=\($0)" }
    }

    /// The report's headline numbers, for the terminal: each score's ROC AUC and average
    /// precision, and each challenge's outcome.
    static func summary(of document: ReportDocument) -> [String] {
        var lines: [String] = []
        for row in document.metrics where row.auc != "–" || row.ap != "–" {
            lines.append("  \(row.name) (\(row.method)): ROC AUC \(row.auc), average precision \(row.ap)")
        }
        for row in document.challenges { lines.append("  challenge \"\(row.title)\": \(row.outcome)") }
        return lines.isEmpty ? [] : ["results:"] + lines.map { TerminalText.escaped($0) }
    }

    /// `Templates/` when run from a directory that has it, else the built-in copy.
    static func templates() throws -> ReportTemplates {
        FileManager.default.fileExists(atPath: "Templates/report.mustache") ? try .load(directory: "Templates") : .builtIn
    }
}
