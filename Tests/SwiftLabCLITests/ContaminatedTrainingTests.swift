import Foundation
import XCTest

/// `train` says what it leaves out, and `train_on: all` trains on a contaminated set as it is.
final class ContaminatedTrainingTests: XCTestCase {
    func testTrainSaysWhatItLeavesOutAndTrainOnAllKeepsIt() throws {
        let swiftLab = try SwiftLabProcess()
        let directory = try SwiftLabProcess.temporaryDirectory("swift-lab-contaminated")
        defer { try? FileManager.default.removeItem(at: directory) }
        func report(trainOn: String?) throws -> String {
            let lab = try SwiftLabProcess.tinyLab(in: directory, name: "contaminated", title: "Contaminated", moreSteps: """
            ```swift-lab split
            data: tiny
            holdout: [b]
            as: mixed
            ```

            ```swift-lab train
            data: mixed
            model: autoencoder
            encoder: [dense 1 linear]
            latent: 1
            decoder: [dense 1 linear]
            epochs: 1
            \(trainOn.map { "train_on: \($0)\n" } ?? "")as: ae
            ```
            """)
            let result = try swiftLab.succeed(["run", "--no-cache", "--out", directory.path, lab.path])
            XCTAssertTrue(result.stdout.hasSuffix("contaminated.html\n"))
            return try String(contentsOf: directory.appendingPathComponent("contaminated.html"), encoding: .utf8)
        }
        XCTAssertTrue(try report(trainOn: nil).contains("Trained on the 1 normal samples of &#39;mixed&#39;; its 1 anomalies were left out (train_on: all keeps them)."))
        let all = try report(trainOn: "all")
        XCTAssertTrue(all.contains("Trained on all 2 samples of &#39;mixed&#39;, its 1 anomalies included (train_on: all)."), all)
        XCTAssertTrue(all.contains("<td>samples</td>\n<td>2</td>") || all.contains(">2<"), "the table counts both samples")
    }
}
