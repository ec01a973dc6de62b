import XCTest
@testable import Grading

/// A report against its own re-run: identical numbers, or which cause made them differ.
final class RerunCheckTests: XCTestCase {
    private func report(_ change: (inout ReportFixture) -> Void = { _ in }) throws -> GradedReport {
        var fixture = ReportFixture()
        change(&fixture)
        return try ReportReader.read(resultsJSON: fixture.json, path: "r.json")
    }

    func testTheSameNumbersMatch() throws {
        XCTAssertEqual(RerunCheck.verdict(submitted: try report(), rerun: try report()), .init(matches: true, text: "same numbers on re-run"))
    }

    func testAnEditedNumberIsFlaggedEvenWithinTheDiffTolerance() throws {
        let verdict = RerunCheck.verdict(submitted: try report { $0.auc = 0.9513 }, rerun: try report())
        XCTAssertEqual(verdict, .init(matches: false, text: "numbers differ from the re-run (same engine and BLAS kernels: the report was edited): score rotation_error auc 0.9513 (re-run 0.9512)"))
    }

    func testAnotherKernelSetIsNamed() throws {
        let verdict = RerunCheck.verdict(submitted: try report { $0.finalLoss = 0.0175; $0.blas = "OpenBLAS 0.3.21 SkylakeX" }, rerun: try report())
        XCTAssertFalse(verdict.matches)
        XCTAssertTrue(verdict.text.hasPrefix("numbers differ from the re-run (made with BLAS OpenBLAS 0.3.21 SkylakeX, re-run with OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64): train autoencoder final_loss 0.0175"), verdict.text)
    }

    func testAnotherLabIsNamed() throws {
        let verdict = RerunCheck.verdict(submitted: try report { $0.labSHA256 = String(repeating: "cd", count: 32) }, rerun: try report())
        XCTAssertEqual(verdict.text, "the lab handed in is not the lab this report was made from")
    }
}
