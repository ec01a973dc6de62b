import ArgumentParser
import Datasets
import Foundation

/// `swift-lab fetch NAME`: downloads a registered dataset into the cache directory.
struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download a registered dataset into the cache directory, verifying every file.",
        discussion: "Files go to $XDG_CACHE_HOME/swift-lab/NAME (or ~/.cache/swift-lab/NAME), where labs find them.")

    @Argument(help: "The dataset: mnist or fashion-mnist.")
    var name: String

    @Option(help: "Download from this base URL instead of the canonical mirrors.")
    var mirror: String?

    func run() throws {
        do {
            var fetcher = try DatasetFetcher.registered(name) { FileHandle.standardError.write(Data("fetch: \($0)\n".utf8)) }
            if let mirror {
                guard let url = URL(string: mirror) else { throw ValidationError("--mirror expects a URL, got '\(mirror)'") }
                fetcher.mirrors = [url]
            }
            let directory = try fetcher.fetch(into: "\(DataSearchPath.cacheDirectory())/\(name)")
            print(directory)
        } catch let error as DatasetError {
            FileHandle.standardError.write(Data("swift-lab fetch: error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
