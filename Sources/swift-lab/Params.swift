import ArgumentParser
import Datasets
import Foundation
import LabDocument

/// `swift-lab params LAB`: the lab's parameters, each with its type, its default and the lines
/// that use it, so that a student knows what `--set` can change before running anything.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a lab's parameters: name, type, default, and the lines that use them.",
        discussion: "Change one for a run with `swift-lab run LAB --set name=value`.")

    @Argument(help: "The lab file.")
    var lab: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: lab) else {
            FileHandle.standardError.write(Data("\(TerminalText.escaped(lab)): error: no such file or directory\n".utf8))
            throw ExitCode(2)
        }
        let parsed = LabParser.parse(file: lab)
        guard let document = parsed.lab, !parsed.hasErrors else {
            for diagnostic in parsed.diagnostics { FileHandle.standardError.write(Data((TerminalText.escaped(diagnostic.description) + "\n").utf8)) }
            throw ExitCode(1)
        }
        guard !document.parameters.isEmpty else {
            print("\(TerminalText.escaped(lab)) has no parameters")
            return
        }
        let uses = Self.uses(in: document)
        let rows = document.parameters.map { parameter -> [String] in
            let uses = (uses[parameter.name] ?? []).map(String.init)
            return [parameter.name, String(parameter.defaultValue.typeDescription.split(separator: " ").last ?? ""),
                    parameter.defaultValue.yamlText, uses.isEmpty ? "unused" : "line" + (uses.count == 1 ? " " : "s ") + uses.joined(separator: ", ")]
        }
        let table = [["name", "type", "default", "used at"]] + rows.map { $0.map { TerminalText.escaped($0) } }
        let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            print(zip(row, widths).enumerated().map { index, cell in index == 3 ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }

    /// The lines of steps that substitute each parameter (`${name}` in a step's body: prose and
    /// other code blocks are not substituted), in one pass over the steps' text.
    static func uses(in lab: Lab) -> [String: [Int]] {
        var lines: [String: [Int]] = [:]
        for step in lab.steps {
            for (offset, line) in step.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var rest = line[...]
                while let start = rest.range(of: "${") {
                    guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
                    let name = String(rest[start.upperBound..<end])
                    let number = step.location.line + 1 + offset
                    if lines[name]?.last != number { lines[name, default: []].append(number) }
                    rest = rest[rest.index(after: end)...]
                }
            }
        }
        return lines
    }
}
