import CZlib
import Foundation
@testable import Datasets

/// Small IDX files made by the tests themselves.
enum Fixtures {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func idxImages(_ pixels: [UInt8], count: Int, rows: Int, columns: Int, magic: UInt32 = 0x0803) -> Data {
        var data = Data()
        for word in [magic, UInt32(count), UInt32(rows), UInt32(columns)] { withUnsafeBytes(of: word.bigEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: pixels)
        return data
    }

    static func idxLabels(_ labels: [UInt8]) -> Data {
        var data = Data()
        for word in [UInt32(0x0801), UInt32(labels.count)] { withUnsafeBytes(of: word.bigEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: labels)
        return data
    }

    /// Writes `data` gzip-compressed.
    static func writeGzip(_ data: Data, to path: String) {
        let file = gzopen(path, "wb")!
        data.withUnsafeBytes { _ = gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        gzclose(file)
    }

    static func gzipped(_ data: Data) throws -> Data {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        writeGzip(data, to: directory + "/x.gz")
        return try Data(contentsOf: URL(fileURLWithPath: directory + "/x.gz"))
    }

    /// A dataset of `perClass` 4×4 images for each of `classes` labels; pixel values encode
    /// (sample, position) so that moves are visible.
    static func dataset(classes: Int = 3, perClass: Int = 10, name: String = "toy") -> Dataset {
        var values: [Float] = [], labels: [Int] = []
        for c in 0..<classes {
            for i in 0..<perClass {
                labels.append(c)
                values += (0..<16).map { Float(((c * perClass + i) * 16 + $0) % 251) / 250 }
            }
        }
        return Dataset(name: name, store: SampleStore(shape: [4, 4, 1], values: values), labels: labels,
                       classNames: (0..<classes).map { "class\($0)" })
    }
}
