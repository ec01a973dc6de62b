import Datasets
import Foundation
import XCTest

/// The release `swift-lab` that `make test` builds (SWIFT_LAB_BINARY), run from the package root.
struct SwiftLabProcess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let binary: URL

    init() throws {
        guard let path = ProcessInfo.processInfo.environment["SWIFT_LAB_BINARY"] else {
            throw XCTSkip("set SWIFT_LAB_BINARY to a release swift-lab (make test does)")
        }
        binary = URL(fileURLWithPath: path, relativeTo: Self.root)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // stderr goes to a file, so that a long log cannot fill a pipe and stall the child.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("swift-lab-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe()
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts swift-lab (or `program`, given swift-lab's path among its arguments) in the
    /// background, its output discarded and its log going to `log` when given, for a test that
    /// stops it or runs another beside it; in `directory` when given.
    func start(_ arguments: [String], log: URL? = nil, program: URL? = nil, in directory: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = program ?? binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// Runs swift-lab and throws, with the end of its log, unless it exits 0: what a test does
    /// next reads the files that only a successful run writes.
    func succeed(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let result = try run(arguments, environment: environment)
        guard result.status == 0 else {
            throw Failure("swift-lab \(arguments.joined(separator: " ")) exited with \(result.status):\n\(result.stderr.suffix(2000))")
        }
        return result
    }

    /// Throws one clear error unless MNIST is on the data search path, before a test runs a lab
    /// that reads it (`make test` points SWIFT_LAB_DATA at ../shared/data, then Tests/Data).
    static func requireMNIST() throws {
        let files = DatasetLoader.files(for: .all).flatMap { [$0.images, $0.labels] }
        do {
            _ = try DataSearchPath.standard().locate("mnist", files: files)
        } catch {
            throw Failure("this test runs labs that read MNIST, which is not on the data search path: \(error)")
        }
    }

    /// A failure that stops a test with one message.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `tiny.csv` (two rows) and a lab `NAME.md` into `directory`: a title, a load step
    /// (lines 3–6) that reads the CSV as `tiny`, then `moreSteps` after a blank line (from line 8).
    static func tinyLab(in directory: URL, name: String, title: String, moreSteps: String = "") throws -> URL {
        try "area,label\n1,a\n2,b\n".write(to: directory.appendingPathComponent("tiny.csv"), atomically: false, encoding: .utf8)
        let lab = directory.appendingPathComponent("\(name).md")
        var text = "# \(title)\n\n```swift-lab load\ndataset: \(directory.path)/tiny.csv\nas: tiny\n```\n"
        if !moreSteps.isEmpty { text += "\n" + moreSteps }
        try text.write(to: lab, atomically: false, encoding: .utf8)
        return lab
    }

    /// The report without its run section (timings, cache use), which may differ between runs.
    static func reportOutsideRunSection(_ html: String) -> String {
        guard let range = html.range(of: "<footer class=\"run\"") else { return html }
        return String(html[..<range.lowerBound])
    }
}
