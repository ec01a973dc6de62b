import ArgumentParser
import Datasets
import Foundation
import LabDocument

/// `swift-lab handout LAB.md -o DIR`: the student's copy of a lab.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write the student's copy of a lab: solutions removed, a part to complete in their place, answers emptied.",
        discussion: """
            Solutions are marked in the lab by the lines <!-- solution: TASK --> and <!-- end solution -->. \
            The handout is written as DIR/<lab file name>; swift-lab check reports its parts as "to complete".
            Exit status: 0 written, 1 the lab or its markers have errors (file:line:column: error:), 2 usage error.
            """)

    @Argument(help: "The instructor's lab.")
    var lab: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory to write the handout into (created if needed).", valueName: "directory"))
    var output: String

    func run() throws {
        let result = LabParser.parse(file: lab)
        guard let source = result.lab?.source else { fail(result.diagnostics, status: 1) }
        let (text, diagnostics) = Handout.make(text: source, path: lab)
        guard let text else { fail(diagnostics, status: 1) }
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        let target = directory.appendingPathComponent(URL(fileURLWithPath: lab).lastPathComponent)
        // The instructor's lab is the one source of both: never write the handout over it.
        if target.standardizedFileURL.resolvingSymlinksInPath().path == URL(fileURLWithPath: lab).standardizedFileURL.resolvingSymlinksInPath().path {
            FileHandle.standardError.write(Data("error: the handout would replace the lab itself; give another directory with -o\n".utf8))
            throw ExitCode(2)
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target, options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("error: \(TerminalText.escaped(target.path)): cannot write the handout: \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        let parts = LabParser.parse(text: text, path: target.path).diagnostics.filter { $0.severity == .toComplete }.count
        print(TerminalText.escaped(target.path))
        FileHandle.standardError.write(Data("\(parts) part\(parts == 1 ? "" : "s") to complete\n".utf8))
    }

    private func fail(_ diagnostics: [Diagnostic], status: Int32) -> Never {
        for diagnostic in diagnostics where diagnostic.severity == .error { print(TerminalText.escaped(diagnostic.description)) }
        Foundation.exit(status)
    }
}
