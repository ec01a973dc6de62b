import Foundation
import XCTest
@testable import Datasets

/// `swift-lab fetch` against a server on 127.0.0.1, never the internet.
final class FetchTests: XCTestCase {
    private var directory: String!
    private let content = Fixtures.idxLabels((0..<200).map { UInt8($0 % 10) })

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private var remote: RemoteFile { RemoteFile(name: "labels.gz", sha256: SHA256.hex(of: content)) }

    func testDownloadsVerifiesAndPlacesTheFile() throws {
        let server = try LoopbackServer(files: ["/good/labels.gz": try Fixtures.gzipped(content)])
        defer { server.stop() }
        let fetcher = DatasetFetcher(mirrors: [server.baseURL.appendingPathComponent("good")], files: [remote], timeout: 5)
        try fetcher.fetch(into: directory)
        XCTAssertEqual(try IDXReader.readAll("\(directory!)/labels.gz"), [UInt8](content))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["labels.gz"])
        try fetcher.fetch(into: directory)
        XCTAssertEqual(server.requests.count, 1, "a verified file is not downloaded again")
    }

    func testChecksumMismatchDeletesTheDownloadAndTriesTheNextMirror() throws {
        var damaged = content
        damaged[20] ^= 0xFF
        let server = try LoopbackServer(files: ["/bad/labels.gz": try Fixtures.gzipped(damaged), "/good/labels.gz": try Fixtures.gzipped(content)])
        defer { server.stop() }
        var log: [String] = []
        let onlyBad = DatasetFetcher(mirrors: [server.baseURL.appendingPathComponent("bad")], files: [remote], timeout: 5) { log.append($0) }
        XCTAssertThrowsError(try onlyBad.fetch(into: directory)) {
            XCTAssertTrue("\($0)".contains("checksum mismatch for labels.gz"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [], "no partial or wrong file is left")
        XCTAssertTrue(log.contains { $0.contains("the download was deleted") })
        let both = DatasetFetcher(mirrors: [server.baseURL.appendingPathComponent("bad"), server.baseURL.appendingPathComponent("good")], files: [remote], timeout: 5)
        try both.fetch(into: directory)
        XCTAssertEqual(try IDXReader.readAll("\(directory!)/labels.gz"), [UInt8](content))
    }

    func testAStallingServerTimesOutWithAClearError() throws {
        let server = try LoopbackServer(files: [:])
        defer { server.stop() }
        let fetcher = DatasetFetcher(mirrors: [server.baseURL.appendingPathComponent("stall")], files: [remote], timeout: 1, attempts: 1)
        let started = Date()
        XCTAssertThrowsError(try fetcher.fetch(into: directory)) {
            XCTAssertTrue("\($0)".contains("no response within 1 s"), "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory!)/labels.gz"))
    }

    func testResumesAnInterruptedDownload() throws {
        let gz = try Fixtures.gzipped(content)
        let server = try LoopbackServer(files: ["/good/labels.gz": gz])
        defer { server.stop() }
        FileManager.default.createFile(atPath: "\(directory!)/labels.gz.part", contents: gz.prefix(gz.count / 2))
        try DatasetFetcher(mirrors: [server.baseURL.appendingPathComponent("good")], files: [remote], timeout: 5).fetch(into: directory)
        XCTAssertEqual(try IDXReader.readAll("\(directory!)/labels.gz"), [UInt8](content))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory!)/labels.gz.part"))
    }
}
