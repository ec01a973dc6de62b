import Foundation
import XCTest
@testable import Datasets

final class IDXTests: XCTestCase {
    private var directory: String!
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ data: Data, _ name: String, gzip: Bool) -> String {
        let path = "\(directory!)/\(name)"
        if gzip { Fixtures.writeGzip(data, to: path) } else { FileManager.default.createFile(atPath: path, contents: data) }
        return path
    }

    func testReadsGzipAndRawFiles() throws {
        let pixels = (0..<(3 * 2 * 2)).map { UInt8($0 * 20) }
        for gzip in [true, false] {
            let images = write(Fixtures.idxImages(pixels, count: 3, rows: 2, columns: 2), "images\(gzip)", gzip: gzip)
            let labels = write(Fixtures.idxLabels([4, 0, 9]), "labels\(gzip)", gzip: gzip)
            let data = try DatasetLoader.loadIDX(images: images, labels: labels, name: "toy")
            XCTAssertEqual(data.shape, [2, 2, 1])
            XCTAssertEqual(data.samples.map(\.label), [4, 0, 9])
            XCTAssertEqual(Array(data.values(of: 1)), [80, 100, 120, 140].map { Float($0) / 255 })
        }
    }

    func testBadFilesGiveOneClearError() throws {
        let good = Fixtures.idxImages([UInt8](repeating: 1, count: 8), count: 2, rows: 2, columns: 2)
        let labels = write(Fixtures.idxLabels([1, 2]), "labels", gzip: true)

        func expect(_ images: String, _ labelsPath: String, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try DatasetLoader.loadIDX(images: images, labels: labelsPath, name: "toy"), line: line) {
                XCTAssertEqual("\($0)", message, line: line)
            }
        }
        let wrongMagic = write(Fixtures.idxImages([UInt8](repeating: 1, count: 8), count: 2, rows: 2, columns: 2, magic: 0x0801), "magic", gzip: false)
        expect(wrongMagic, labels, "\(wrongMagic): not an IDX image file (magic number 0x00000801, expected 0x00000803)")

        let short = write(good.prefix(20), "short", gzip: false)
        expect(short, labels, "\(short): the header announces 2 images of 2x2 (24 bytes), but the file has 20 bytes")

        let gz = try Fixtures.gzipped(good)
        let truncated = write(gz.prefix(gz.count - 12), "truncated.gz", gzip: false)
        XCTAssertThrowsError(try DatasetLoader.loadIDX(images: truncated, labels: labels, name: "toy")) {
            XCTAssertTrue("\($0)".hasPrefix("\(truncated): the compressed data is"), "\($0)")
        }

        let images = write(good, "images", gzip: true)
        let threeLabels = write(Fixtures.idxLabels([1, 2, 3]), "labels3", gzip: false)
        expect(images, threeLabels, "\(threeLabels): 3 labels for the 2 images of \(images)")
        expect("\(directory!)/missing", labels, "\(directory!)/missing: cannot read the file")

        let outOfRange = write(Fixtures.idxLabels([1, 12]), "labels12", gzip: false)
        XCTAssertThrowsError(try DatasetLoader.loadIDX(images: images, labels: outOfRange, name: "mnist", classNames: DatasetCatalog.mnist.classNames)) {
            XCTAssertEqual("\($0)", "\(outOfRange): label 12 is outside the 10 classes of mnist")
        }
    }

    func testSearchPathOrderAndTheErrorWhenNothingIsFound() throws {
        let first = "\(directory!)/first", second = "\(directory!)/second"
        for dir in [first, second] {
            try FileManager.default.createDirectory(atPath: "\(dir)/toy", withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: "\(second)/toy/a", contents: Data())
        let path = DataSearchPath.standard(environment: ["SWIFT_LAB_DATA": "\(first):\(second)", "HOME": "/home/student"])
        XCTAssertEqual(path.directories, [first, second, "data", "/home/student/.cache/swift-lab", "/usr/share/datasets"])
        XCTAssertEqual(try path.locate("toy", files: ["a"]), "\(second)/toy")
        FileManager.default.createFile(atPath: "\(first)/toy/a", contents: Data())
        XCTAssertEqual(try path.locate("toy", files: ["a"]), "\(first)/toy", "earlier directories win")
        XCTAssertEqual(try path.locate("toy", files: ["a"], explicit: "\(second)/toy"), "\(second)/toy", "an explicit path comes first")
        XCTAssertThrowsError(try path.locate("toy", files: ["b"])) {
            XCTAssertTrue("\($0)".hasPrefix("dataset 'toy' not found; looked for b in: \(first)/toy, \(second)/toy, data/toy, /home/student/.cache/swift-lab/toy, /usr/share/datasets/toy. To get it, run 'swift-lab fetch toy'"), "\($0)")
        }
        XCTAssertEqual(DataSearchPath.cacheDirectory(environment: ["XDG_CACHE_HOME": "/xdg"]), "/xdg/swift-lab")
    }

    /// The real data: MNIST from SWIFT_LAB_DATA (make test points it at ../shared/data, then at
    /// the subset in Tests/Data) and Fashion-MNIST from Debian's package.
    func testRegisteredDatasetsLoad() throws {
        guard ProcessInfo.processInfo.environment["SWIFT_LAB_DATA"] != nil else { throw XCTSkip("SWIFT_LAB_DATA is not set") }
        let found = try DataSearchPath.standard().locate("mnist", files: DatasetLoader.files(for: .all).flatMap { [$0.images, $0.labels] })
        let subset = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/mnist").standardizedFileURL.path
        // Which copy was found decides the counts: the full data set, or the first 3,000 training
        // and 1,000 test images that the repository carries.
        let isSubset = URL(fileURLWithPath: found).standardizedFileURL.path == subset
        let mnist = try DatasetLoader.load("mnist", split: .test)
        XCTAssertEqual(mnist.count, isSubset ? 1_000 : 10_000, found)
        XCTAssertEqual(mnist.shape, [28, 28, 1])
        XCTAssertEqual(mnist.countsByClass.first { $0.label == 5 }?.count, isSubset ? 87 : 892)
        let train = try DatasetLoader.load("mnist", split: .train)
        XCTAssertEqual(train.count, isSubset ? 3_000 : 60_000)
        XCTAssertEqual(train.countsByClass.first { $0.label == 7 }?.count, isSubset ? 329 : 6_265)
        let values = train.stores[0].values
        XCTAssertEqual(values.min(), 0)
        XCTAssertEqual(values.max(), 1)
        let fashion = try DatasetLoader.load("fashion-mnist", split: .all)
        XCTAssertEqual(fashion.count, 70_000)
        XCTAssertEqual(fashion.classNames[1], "Trouser")
        XCTAssertThrowsError(try DatasetLoader.load("cifar", split: .train))
    }
}
