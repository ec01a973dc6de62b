import Foundation

/// Where datasets are looked for, in order: an explicit path, each directory in
/// `SWIFT_LAB_DATA` (colon-separated), `./data`, the user's cache
/// (`$XDG_CACHE_HOME/swift-lab` or `~/.cache/swift-lab`), and `/usr/share/datasets`.
/// A registered dataset `NAME` is found in `DIR/NAME/`.
public struct DataSearchPath: Sendable {
    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// The standard search path for this process's environment.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> DataSearchPath {
        var directories: [String] = []
        if let list = environment["SWIFT_LAB_DATA"] {
            directories += list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        directories.append("data")
        directories.append(cacheDirectory(environment: environment))
        directories.append("/usr/share/datasets")
        return DataSearchPath(directories: directories)
    }

    /// The user's cache directory for downloaded datasets.
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return "\(xdg)/swift-lab" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.cache/swift-lab"
    }

    /// The first directory holding every one of `files` for dataset `name`, checking an explicit
    /// directory first; or an error listing every place looked at and how to get the data.
    public func locate(_ name: String, files: [String], explicit: String? = nil) throws -> String {
        var candidates: [String] = []
        if let explicit { candidates += [explicit, "\(explicit)/\(name)"] }
        candidates += directories.map { "\($0)/\(name)" }
        let manager = FileManager.default
        for directory in candidates where files.allSatisfy({ manager.fileExists(atPath: "\(directory)/\($0)") }) {
            return directory
        }
        var howTo = "run 'swift-lab fetch \(name)'"
        if name == "fashion-mnist" { howTo = "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or " + howTo }
        throw DatasetError("dataset '\(name)' not found; looked for \(files.joined(separator: ", ")) in: \(candidates.joined(separator: ", ")). To get it, \(howTo), or set SWIFT_LAB_DATA to a directory that holds \(name)/")
    }
}
