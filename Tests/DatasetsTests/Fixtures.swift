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

extension Fixtures {
    /// Writes `header` and then `zeros` zero bytes, gzip-compressed as they are written, so that
    /// neither the file (about 1/1000 of `zeros`) nor this process ever holds the expansion.
    static func writeGzipBomb(header: Data, zeros: Int, to path: String) throws {
        guard let file = gzopen(path, "wb9") else { throw DatasetError("cannot write \(path)") }
        defer { gzclose(file) }
        header.withUnsafeBytes { _ = gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var left = zeros
        while left > 0 {
            let n = min(left, chunk.count)
            guard chunk.withUnsafeBytes({ gzwrite(file, $0.baseAddress, UInt32(n)) }) == n else { throw DatasetError("cannot write \(path)") }
            left -= n
        }
    }

    /// How much this process's peak resident memory rose while `body` ran, in bytes (0 when an
    /// earlier peak was higher).
    static func peakMemoryGrowth(_ body: () throws -> Void) throws -> Int {
        func peak() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024
        }
        let before = peak()
        try body()
        return peak() - before
    }

    /// The description of the error `body` throws, which must come within `seconds`. Should
    /// `body` block on the FIFO at `fifo` instead, the FIFO is opened for writing and closed, so
    /// the blocked reader sees its end and the test fails rather than hangs.
    static func errorWithin(seconds: Double, unblocking fifo: String, _ body: @escaping () throws -> Void) throws -> String? {
        final class Outcome: @unchecked Sendable { var error: String? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try body() } catch { outcome.error = "\(error)" }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + seconds) == .timedOut {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + seconds)
            throw DatasetError("still waiting on \(fifo) after \(Int(seconds)) s")
        }
        return outcome.error
    }
}
