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
        let name = URL(fileURLWithPath: lab).deletingPathExtension().lastPathComponent
        let path = "\(out)/\(name).html"
        Interruption.install(report: TerminalText.escaped(path))
        do {
            try ReportWriter.prepare(path)
        } catch let error as ReportError {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error.description))\n".utf8))
            throw ExitCode(1)
        }
        let printer = ProgressPrinter()
        let options = RunOptions(quick: quick, seed: seed, overrides: try ParameterOverrides.combined(parametersFile: parametersFile, sets: overrides, lab: lab),
                                 cacheDirectory: noCache ? nil : cache, progress: printer.handle)
        let outcome: LabRunner.Outcome
        do {
            outcome = try LabRunner.run(file: lab, options: options, templates: try templates())
        } catch let error as LabRunError {
            FileHandle.standardError.write(Data((error.diagnostics.map { TerminalText.escaped($0) }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        } catch {
            // Anything else is a fault of this program, not of the lab: say so in one sentence.
            FileHandle.standardError.write(Data("\(TerminalText.escaped(lab)): error: the report could not be made: \(TerminalText.escaped(error.localizedDescription))\n".utf8))
            throw ExitCode(1)
        }
        do {
            try ReportWriter.write(html: outcome.html, json: outcome.json, to: path, waiting: {
                FileHandle.standardError.write(Data("waiting for another run that is writing its report to \(TerminalText.escaped(out))\n".utf8))
            }, committing: Interruption.whileWriting)
        } catch let error as ReportError {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error.description))\n".utf8))
            throw ExitCode(1)
        }
        let onTerminal = isatty(STDERR_FILENO) == 1, width = ProgressPrinter.terminalColumns() - 1
        for line in Self.summary(of: outcome.document) {
            FileHandle.standardError.write(Data(((onTerminal ? ProgressPrinter.fitted(line, width: width) : line) + "\n").utf8))
        }
        print(TerminalText.escaped(path))
        // A watch ends in _exit, which would lose a path still in stdout's buffer.
        fflush(stdout)
        if let failure = outcome.failure {
            FileHandle.standardError.write(Data((TerminalText.escaped(failure) + "\n").utf8))
            throw ExitCode(1)
        }
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
    private func templates() throws -> ReportTemplates {
        FileManager.default.fileExists(atPath: "Templates/report.mustache") ? try .load(directory: "Templates") : .builtIn
    }
}
