import Foundation
import XCTest

/// The completion script the README tells users to install completes subcommands and each
/// subcommand's options in bash.
final class CompletionTests: XCTestCase {
    func testBashCompletesSubcommandsAndOptions() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { throw XCTSkip("no bash here") }
        let swiftLab = try SwiftLabProcess()
        let script = try swiftLab.succeed(["--generate-completion-script", "bash"]).stdout
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-completion")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("swift-lab.bash")
        try script.write(to: file, atomically: false, encoding: .utf8)
        // What bash does on Tab: the completion function gets the command, the word and the one before.
        func complete(_ words: [String]) throws -> [String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let line = words.joined(separator: " ")
            process.arguments = ["-c", """
                source "$1"; COMP_WORDS=(\(line)); COMP_CWORD=\(words.count - 1); COMP_LINE="\(line)"; COMP_POINT=${#COMP_LINE}
                _swift-lab swift-lab "\(words.last!)" "\(words[words.count - 2])"; printf '%s\\n' "${COMPREPLY[@]}"
                """, "bash", file.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try complete(["swift-lab", "ch"]), ["check"])
        XCTAssertEqual(try complete(["swift-lab", "run", "--wa"]), ["--watch"])
        XCTAssertEqual(try complete(["swift-lab", "run", "--par"]), ["--params"])
    }
}
