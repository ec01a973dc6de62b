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
        let parsed = LabParser.parse(file: lab)
        guard let document = parsed.lab, !parsed.hasErrors else {
            for diagnostic in parsed.diagnostics { FileHandle.standardError.write(Data((TerminalText.escaped(diagnostic.description) + "\n").utf8)) }
            throw ExitCode(1)
        }
        guard !document.parameters.isEmpty else {
            print("\(TerminalText.escaped(lab)) has no parameters")
            return
        }
        let lines = LabParser.normalisingLineEndings(document.source).split(separator: "\n", omittingEmptySubsequences: false)
        let rows = document.parameters.map { parameter -> [String] in
            let uses = lines.indices.filter { lines[$0].contains("${\(parameter.name)}") }.map { String($0 + 1) }
            return [parameter.name, String(parameter.defaultValue.typeDescription.split(separator: " ").last ?? ""),
                    parameter.defaultValue.yamlText, uses.isEmpty ? "unused" : "line" + (uses.count == 1 ? " " : "s ") + uses.joined(separator: ", ")]
        }
        let table = [["name", "type", "default", "used at"]] + rows.map { $0.map { TerminalText.escaped($0) } }
        let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            print(zip(row, widths).enumerated().map { index, cell in index == 3 ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }
}
