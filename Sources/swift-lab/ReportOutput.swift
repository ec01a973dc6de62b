import ArgumentParser
import Datasets
import Foundation
import Report
import Runner

/// Putting a made report in place and saying so, the same for `run`, `run --jobs` and `merge`.
enum ReportOutput {
    /// `OUT/NAME.html` for the lab `NAME.md`.
    static func path(forLab lab: String, in out: String) -> String {
        "\(out)/\(URL(fileURLWithPath: lab).deletingPathExtension().lastPathComponent).html"
    }

    /// Before any work: the report can be written there (see `ReportWriter.prepare`).
    static func prepare(_ path: String) throws {
        do { try ReportWriter.prepare(path) } catch let error as ReportError { throw failure("error: \(TerminalText.escaped(error.description))") }
    }

    /// Writes the pair, prints the headline numbers (stderr) and the report's path (stdout), and
    /// exits 1 if a step failed.
    static func finish(_ outcome: LabRunner.Outcome, path: String, out: String) throws {
        do {
            try ReportWriter.write(html: outcome.html, json: outcome.json, to: path, waiting: {
                FileHandle.standardError.write(Data("waiting for another run that is writing its report to \(TerminalText.escaped(out))\n".utf8))
            }, committing: Interruption.whileWriting)
        } catch let error as ReportError {
            throw failure("error: \(TerminalText.escaped(error.description))")
        }
        let onTerminal = isatty(STDERR_FILENO) == 1, width = ProgressPrinter.terminalColumns() - 1
        for line in Run.summary(of: outcome.document) {
            FileHandle.standardError.write(Data(((onTerminal ? ProgressPrinter.fitted(line, width: width) : line) + "\n").utf8))
        }
        print(TerminalText.escaped(path))
        // `run --watch` ends in _exit, which would lose a path still in stdout's buffer.
        fflush(stdout)
        if let failure = outcome.failure {
            FileHandle.standardError.write(Data((TerminalText.escaped(failure) + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// Prints one message, already escaped, and gives exit status 1 to throw (so that what the
    /// caller cleans up on the way out is cleaned up).
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(1)
    }
}
