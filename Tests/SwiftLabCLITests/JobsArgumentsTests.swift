import Foundation
import XCTest

/// `run --jobs N` hands its workers the options that decide the numbers as the user gave them,
/// so that a value that looks like an option (a file named `-sweep.yml`) means the same to the
/// workers as to the one-process run.
final class JobsArgumentsTests: XCTestCase {
    func testAParametersFileNamedLikeAnOptionReachesTheWorkers() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-jobs-arguments")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lab = try SwiftLabProcess.tinyLab(in: directory, name: "jobs", title: "Jobs", moreSteps: """
            ```swift-lab train
            model: autoencoder
            data: tiny
            encoder: [dense ${width} linear]
            latent: ${width}
            decoder: [dense 1 linear]
            epochs: 1
            as: m
            ```

            ```swift-lab score
            method: reconstruction-error
            model: m
            data: tiny
            as: errors
            ```

            ```swift-lab challenge
            title: Widths
            prompt: Wider?
            vary: { width: [1, 2] }
            measure: errors.auc
            ```
            """)
        try String(contentsOf: lab, encoding: .utf8).replacingOccurrences(of: "# Jobs\n", with: "---\nparams: { width: 1 }\n---\n# Jobs\n")
            .write(to: lab, atomically: false, encoding: .utf8)
        let parameters = directory.appendingPathComponent("-sweep.yml")
        try "width: 2\n".write(to: parameters, atomically: false, encoding: .utf8)
        // Run in the lab's folder, so that the file's name is the value, dash first.
        let log = directory.appendingPathComponent("log")
        let process = try swiftLab.start(["run", "--no-cache", "--jobs", "2", "--out", directory.path, "--params=\(parameters.lastPathComponent)", lab.path],
                                         log: log, in: directory)
        process.waitUntilExit()
        let stderr = try String(contentsOf: log, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        XCTAssertFalse(stderr.contains("failed"), stderr)
    }
}
