import ArgumentParser
import Engine
import Foundation
import Report

/// The `swift-lab` command: runs and checks Markdown labs.
struct SwiftLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swift-lab",
        abstract: "Runs anomaly-detection labs written as Markdown and writes offline HTML reports.",
        version: "swift-lab \(ReportRenderer.version) (engine \(Engine.version))",
        subcommands: [Run.self, Merge.self, Check.self, Params.self, New.self, HandoutCommand.self, Diff.self, Grade.self, Fetch.self, Schema.self])
}

/// Runs the command and maps errors to exit codes: 0 success, 1 problems found, 2 usage error.
@main
enum Main {
    static func main() {
        if let complaint = Engine.applyThreadsSetting(ProcessInfo.processInfo.environment) {
            FileHandle.standardError.write(Data("error: \(complaint)\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try SwiftLab.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            finish(exit.rawValue)
        } catch {
            let code = SwiftLab.exitCode(for: error)
            if code == .success {
                print(SwiftLab.fullMessage(for: error))
                finish(0)
            }
            FileHandle.standardError.write(Data((SwiftLab.fullMessage(for: error) + "\n").utf8))
            // ArgumentParser's usage errors (64) and our own unreadable inputs are usage errors.
            finish(2)
        }
        finish(0)
    }

    /// Exits with `status`, or with 1 when what was printed could not be written: `print` buffers,
    /// so a full disk or a closed descriptor would otherwise go unnoticed and a truncated listing,
    /// version or CSV would look like a success.
    static func finish(_ status: Int32) -> Never {
        errno = 0
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            let reason = errno == 0 ? "a write failed" : String(cString: strerror(errno))
            FileHandle.standardError.write(Data("error: cannot write to standard output: \(reason)\n".utf8))
            Foundation.exit(status == 0 ? 1 : status)
        }
        Foundation.exit(status)
    }
}
