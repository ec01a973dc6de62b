import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A file of a registered dataset that `swift-lab fetch` can download, with the SHA-256 of its
/// decompressed content (so a mirror that recompresses the file still verifies).
public struct RemoteFile: Sendable, Equatable {
    public var name: String
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}

/// `swift-lab fetch NAME`: downloads a registered dataset into the cache directory.
///
/// Each file is downloaded to `NAME.part` beside its final place (resuming a `.part` left by an
/// interrupted run with an HTTP Range request), verified, and only then renamed into place, so
/// an interrupted or failed fetch never leaves a file that looks complete. A checksum mismatch
/// deletes the download, says so, and tries the next mirror.
public struct DatasetFetcher {
    public var mirrors: [URL]
    public var files: [RemoteFile]
    /// Seconds without progress before a request is abandoned (a stalled server).
    public var timeout: TimeInterval
    /// Attempts per mirror before moving on.
    public var attempts: Int
    public var log: (String) -> Void

    public init(mirrors: [URL], files: [RemoteFile], timeout: TimeInterval = 30, attempts: Int = 2, log: @escaping (String) -> Void = { _ in }) {
        self.mirrors = mirrors
        self.files = files
        self.timeout = timeout
        self.attempts = attempts
        self.log = log
    }

    /// The fetcher for a registered dataset, with its canonical mirrors.
    public static func registered(_ name: String, log: @escaping (String) -> Void = { _ in }) throws -> DatasetFetcher {
        guard let source = DatasetSources.all[name] else {
            throw DatasetError("'\(name)' is not a registered dataset (registered: \(DatasetSources.all.keys.sorted().joined(separator: ", ")))")
        }
        return DatasetFetcher(mirrors: source.mirrors, files: source.files, log: log)
    }

    /// Downloads every file that is missing or wrong into `directory`; returns its path.
    @discardableResult
    public func fetch(into directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            let destination = "\(directory)/\(file.name)"
            if FileManager.default.fileExists(atPath: destination), (try? verify(destination, file)) == true {
                log("\(file.name): already present and verified")
                continue
            }
            var failures: [String] = []
            var done = false
            for mirror in mirrors where !done {
                for attempt in 1...max(attempts, 1) where !done {
                    do {
                        try download(mirror.appendingPathComponent(file.name), to: destination, file: file)
                        done = true
                    } catch let error as DatasetError {
                        failures.append("\(mirror.absoluteString) (attempt \(attempt)): \(error.description)")
                        log("\(file.name): \(error.description)")
                        if error.description.contains("checksum mismatch") { break }
                    }
                }
            }
            guard done else {
                throw DatasetError("could not fetch \(file.name):\n  " + failures.joined(separator: "\n  "))
            }
        }
        return directory
    }

    private func download(_ url: URL, to destination: String, file: RemoteFile) throws {
        let part = destination + ".part"
        let existing = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) ?? 0
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if existing > 0 { request.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        let (data, status) = try Self.get(request, timeout: timeout)
        switch status {
        case 200:
            try data.write(to: URL(fileURLWithPath: part))
        case 206:
            guard let handle = FileHandle(forWritingAtPath: part) else { throw DatasetError("cannot append to \(part)") }
            handle.seekToEndOfFile()
            handle.write(data)
            handle.closeFile()
            log("\(file.name): resumed after \(existing) bytes")
        case 416:
            break  // the .part is already complete
        default:
            throw DatasetError("HTTP \(status) from \(url.absoluteString)")
        }
        guard try verify(part, file) else {
            try? FileManager.default.removeItem(atPath: part)
            throw DatasetError("checksum mismatch for \(file.name) from \(url.absoluteString); the download was deleted")
        }
        guard rename(part, destination) == 0 else { throw DatasetError("cannot move \(part) into place") }
        log("\(file.name): downloaded and verified")
    }

    /// Whether the decompressed content of `path` has the expected SHA-256.
    ///
    /// The content is hashed as it is read, one chunk at a time. An IDX file says how long it
    /// is, and reading stops one byte past that (a file that goes on is not the registered one),
    /// so a small download that expands to gigabytes is refused without expanding it; other
    /// files are read up to `DataStream.maximumBytes`.
    func verify(_ path: String, _ file: RemoteFile) throws -> Bool {
        guard let stream = try? DataStream(path: path) else { return false }
        var hash = SHA256()
        var limit = DataStream.maximumBytes
        var chunk: [UInt8] = []
        guard (try? stream.read(4, appendingTo: &chunk)) != nil else { return false }
        if let length = IDXHeader.headerLength(magic: chunk) {
            guard (try? stream.read(length - 4, appendingTo: &chunk)) != nil else { return false }
            if let header = try? IDXHeader(bytes: chunk, path: path) { limit = header.totalBytes }
        }
        var total = chunk.count
        while !chunk.isEmpty {
            hash.update(chunk)
            chunk.removeAll(keepingCapacity: true)
            guard let read = try? stream.read(min(1 << 20, limit + 1 - total), appendingTo: &chunk) else { return false }
            total += read
            if total > limit { return false }
        }
        return hash.finalizeHex() == file.sha256
    }

    /// A blocking GET with a timeout, through URLSession.
    static func get(_ request: URLRequest, timeout: TimeInterval) throws -> (Data, Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout * 20, 600)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?)
        session.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = result.2 {
            let timedOut = (error as NSError).code == NSURLErrorTimedOut
            throw DatasetError(timedOut ? "no response within \(Int(timeout)) s from \(request.url?.absoluteString ?? "")" : "cannot download \(request.url?.absoluteString ?? ""): \(error.localizedDescription)")
        }
        return (result.0 ?? Data(), (result.1 as? HTTPURLResponse)?.statusCode ?? 0)
    }
}
