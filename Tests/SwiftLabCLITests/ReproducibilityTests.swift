import Foundation
import XCTest

/// The same lab, parameters and seed give the same report, whatever the thread count.
final class ReproducibilityTests: XCTestCase {
    func testOneAndTwoThreadsGiveTheSameReport() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-threads")
        defer { try? FileManager.default.removeItem(at: directory) }
        var reports: [String] = []
        for threads in ["1", "2", "2"] {
            let out = directory.appendingPathComponent("threads-\(threads)-\(reports.count)").path
            _ = try swiftLab.succeed(["run", "--quick", "--no-cache", "--out", out, "Labs/001-autoencoder-rotated-digits.md"],
                                     environment: ["SWIFT_LAB_THREADS": threads])
            let html = try String(contentsOfFile: out + "/001-autoencoder-rotated-digits.html", encoding: .utf8)
            XCTAssertTrue(html.contains("<dt>threads</dt><dd>\(threads)</dd>"), "the run section records the thread count")
            if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
                XCTAssertTrue(html.contains(" kernels, chosen for ") || html.contains(" kernels, OpenBLAS"), "the run section says why these kernels")
            }
            reports.append(SwiftLabProcess.reportOutsideRunSection(html))
        }
        XCTAssertEqual(reports[0], reports[1], "1 thread against 2")
        XCTAssertEqual(reports[1], reports[2], "two runs with 2 threads")
    }

    /// The run section says which OpenBLAS kernels ran and why; `OPENBLAS_CORETYPE` is obeyed, and
    /// with kernels for a CPU without AVX2 the engine's own AVX2 kernels stand aside too.
    func testTheRunSectionNamesTheBLASKernels() throws {
        let swiftLab = try SwiftLabProcess()
        try SwiftLabProcess.requireMNIST()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-kernels")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try swiftLab.succeed(["run", "--quick", "--no-cache", "--out", directory.path, "Labs/001-autoencoder-rotated-digits.md"],
                                 environment: ["OPENBLAS_CORETYPE": "Sandybridge"])
        let html = try String(contentsOfFile: directory.path + "/001-autoencoder-rotated-digits.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Sandybridge kernels, as OPENBLAS_CORETYPE=Sandybridge asks; OpenBLAS for every product</dd>"), html)
    }

    func testAnInvalidThreadCountIsAUsageError() throws {
        let result = try SwiftLabProcess().run(["check", "Labs/001-autoencoder-rotated-digits.md"], environment: ["SWIFT_LAB_THREADS": "many"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "error: SWIFT_LAB_THREADS must be a whole number from 1 to 1024, not 'many'\n")
    }
}
