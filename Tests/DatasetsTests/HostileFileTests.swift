import CZlib
import Foundation
import XCTest
@testable import Datasets

/// Files made to hurt the reader: a gzip bomb, a header that overflows, a FIFO, a directory.
/// Each gives one clear error, quickly, without taking memory.
final class HostileFileTests: XCTestCase {
    private var directory: String!
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testGzipBombGivesTheSizeErrorWithoutExpandingIt() throws {
        // 10 images of 28x28 promised, 256 MiB of zeros delivered: about 250 KB on disk.
        let bomb = "\(directory!)/bomb.gz"
        try Fixtures.writeGzipBomb(header: Fixtures.idxImages([], count: 10, rows: 28, columns: 28), zeros: 256 << 20, to: bomb)
        let labels = "\(directory!)/labels"
        FileManager.default.createFile(atPath: labels, contents: Fixtures.idxLabels([UInt8](repeating: 1, count: 10)))
        let growth = try Fixtures.peakMemoryGrowth {
            XCTAssertThrowsError(try DatasetLoader.loadIDX(images: bomb, labels: labels, name: "toy")) {
                XCTAssertEqual("\($0)", "\(bomb): the header announces 10 images of 28x28 (7856 bytes), but the file has more than 7856 bytes")
            }
        }
        XCTAssertLessThan(growth, 64 << 20, "the bomb was expanded in memory")

        let labelBomb = "\(directory!)/labels.gz"
        try Fixtures.writeGzipBomb(header: Fixtures.idxLabels([1, 2]), zeros: 64 << 20, to: labelBomb)
        XCTAssertThrowsError(try IDXReader.labels(at: labelBomb)) {
            XCTAssertEqual("\($0)", "\(labelBomb): the header announces 2 labels, but the file has more than 2")
        }
    }

    func testFetchVerificationStopsWhereTheHeaderSaysTheFileEnds() throws {
        let bomb = "\(directory!)/labels.gz"
        try Fixtures.writeGzipBomb(header: Fixtures.idxLabels([1, 2]), zeros: 256 << 20, to: bomb)
        let fetcher = DatasetFetcher(mirrors: [], files: [])
        let growth = try Fixtures.peakMemoryGrowth {
            XCTAssertFalse(try fetcher.verify(bomb, RemoteFile(name: "labels.gz", sha256: String(repeating: "0", count: 64))))
        }
        XCTAssertLessThan(growth, 64 << 20, "the bomb was expanded in memory")
        // A file that is what its header says still verifies.
        let good = "\(directory!)/good.gz"
        let content = Fixtures.idxLabels([3, 1, 4, 1, 5])
        Fixtures.writeGzip(content, to: good)
        XCTAssertTrue(try fetcher.verify(good, RemoteFile(name: "good.gz", sha256: SHA256.hex(of: content))))
    }

    func testAHeaderWhoseSizeOverflowsIsAClearErrorNotATrap() throws {
        let huge = "\(directory!)/huge"
        FileManager.default.createFile(atPath: huge, contents: Fixtures.idxImages([1, 2, 3], count: 1 << 31, rows: 1 << 31, columns: 1 << 31))
        XCTAssertThrowsError(try IDXReader.images(at: huge)) {
            XCTAssertEqual("\($0)", "\(huge): the header announces 2147483648 x 2147483648 x 2147483648 values, more than the 2 GiB an IDX file may hold; the header is damaged")
        }
        // No overflow, but more than the bound: refused before anything is allocated.
        let large = "\(directory!)/large"
        FileManager.default.createFile(atPath: large, contents: Fixtures.idxImages([1, 2, 3], count: 1 << 20, rows: 1 << 10, columns: 1 << 10))
        XCTAssertThrowsError(try IDXReader.images(at: large)) {
            XCTAssertEqual("\($0)", "\(large): the header announces 1048576 x 1024 x 1024 values, more than the 2 GiB an IDX file may hold; the header is damaged")
        }
        // No images, so no data: the size of one image is bounded on its own.
        let empty = "\(directory!)/empty"
        FileManager.default.createFile(atPath: empty, contents: Fixtures.idxImages([], count: 0, rows: 4_294_967_295, columns: 4_294_967_295))
        XCTAssertThrowsError(try IDXReader.images(at: empty)) {
            XCTAssertEqual("\($0)", "\(empty): the header announces samples of 4294967295 x 4294967295 values, more than the 2 GiB an IDX file may hold; the header is damaged")
        }
        let labels = "\(directory!)/labels"
        var data = Fixtures.idxLabels([])
        data.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0xFF])
        FileManager.default.createFile(atPath: labels, contents: data)
        XCTAssertThrowsError(try IDXReader.labels(at: labels)) {
            XCTAssertEqual("\($0)", "\(labels): the header announces 4294967295 values, more than the 2 GiB an IDX file may hold; the header is damaged")
        }
    }

    func testAFIFOIsRefusedAtOnceInsteadOfWaitingForAWriter() throws {
        let fifo = "\(directory!)/images.gz"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let images = "\(directory!)/images"
        FileManager.default.createFile(atPath: images, contents: Fixtures.idxImages([7], count: 1, rows: 1, columns: 1))
        let message = "\(fifo): not a regular file (a FIFO)"
        XCTAssertEqual(try Fixtures.errorWithin(seconds: 10, unblocking: fifo) { _ = try IDXReader.images(at: fifo) }, message)
        XCTAssertEqual(try Fixtures.errorWithin(seconds: 10, unblocking: fifo) { _ = try DatasetLoader.loadIDX(images: images, labels: fifo, name: "toy") }, message)
        let csv = "\(directory!)/data.csv"
        XCTAssertEqual(mkfifo(csv, 0o600), 0)
        XCTAssertEqual(try Fixtures.errorWithin(seconds: 10, unblocking: csv) { _ = try CSVReader.load(csv) }, "\(csv): not a regular file (a FIFO)")
    }

    func testADirectoryIsCalledADirectory() throws {
        let images = "\(directory!)/train-images-idx3-ubyte.gz"
        let csv = "\(directory!)/data.csv"
        for path in [images, csv] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }
        XCTAssertThrowsError(try IDXReader.images(at: images)) { XCTAssertEqual("\($0)", "\(images): is a directory") }
        XCTAssertThrowsError(try IDXReader.labels(at: images)) { XCTAssertEqual("\($0)", "\(images): is a directory") }
        XCTAssertThrowsError(try CSVReader.load(csv)) { XCTAssertEqual("\($0)", "\(csv): is a directory") }
    }

    func testADeviceIsRefused() throws {
        XCTAssertThrowsError(try IDXReader.images(at: "/dev/zero")) { XCTAssertEqual("\($0)", "/dev/zero: not a regular file (a character device)") }
    }
}
