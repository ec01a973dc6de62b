import Foundation

/// `swift-lab check`: finds the lab files named on the command line (files, or directories
/// searched for `*.md`) and collects every diagnostic, in a stable order.
///
/// ```swift
/// let report = try LabChecker.check(paths: ["Labs"])
/// report.diagnostics.forEach { print($0) }
/// ```
public enum LabChecker {
    public struct Report: Sendable {
        public var files: [String]
        public var diagnostics: [Diagnostic]
    }

    /// A path that names nothing: a usage error, not a problem in a lab.
    public struct MissingPath: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): error: no such file or directory" }
    }

    /// `further` checks a lab that parsed without errors for what this module cannot know
    /// (the Runner's models: see `Preflight`).
    public static func check(paths: [String], overrides: [(String, String)] = [],
                             further: (Lab) -> [Diagnostic] = { _ in [] }) throws -> Report {
        let files = try labFiles(in: paths)
        var diagnostics: [Diagnostic] = []
        for file in files {
            let parsed = LabParser.parse(file: file, overrides: overrides)
            diagnostics += parsed.diagnostics
            if let lab = parsed.lab, !parsed.hasErrors { diagnostics += further(lab) }
        }
        return Report(files: files, diagnostics: diagnostics)
    }

    /// Files as given, and the `.md` files below each directory, sorted.
    public static func labFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw MissingPath(path: path) }
            guard isDirectory.boolValue else { files.append(path); continue }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (manager.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".md") }
                .sorted()
                .map { "\(base)/\($0)" }
            files += found
        }
        return files
    }
}
