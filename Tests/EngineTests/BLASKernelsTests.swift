import XCTest
@testable import Engine

/// OpenBLAS runs the kernels the CPU's features call for, even when it fell back to older ones.
final class BLASKernelsTests: XCTestCase {
    func testFeaturesChooseTheKernels() {
        let avx512 = VectorFeatures(avx: true, fma: true, avx2: true, avx512f: true, avx512dq: true, avx512bw: true, avx512vl: true)
        XCTAssertEqual(avx512.kernels?.core, "SkylakeX")
        var noVL = avx512
        noVL.avx512vl = false
        XCTAssertEqual(noVL.kernels?.core, "Haswell", "SkylakeX kernels need all four AVX-512 subsets")
        XCTAssertEqual(VectorFeatures(avx: true, fma: true, avx2: true).kernels?.core, "Haswell")
        XCTAssertEqual(VectorFeatures(avx: true, avx2: true).kernels?.core, "Sandybridge", "Haswell kernels need FMA")
        XCTAssertEqual(VectorFeatures(avx: true).kernels?.core, "Sandybridge")
        XCTAssertNil(VectorFeatures().kernels)
    }

    /// Puts OpenBLAS in the state its load-time choice leaves on a CPU model it does not know
    /// (`Prescott`, SSE3), then lets the engine choose: it must switch to the kernels of this
    /// CPU's features, say so, and compute what those kernels computed before.
    func testAFallbackToPrescottIsUndoneAndReported() throws {
        guard let wanted = VectorFeatures.detected.kernels?.core else { throw XCTSkip("this CPU has no AVX: Prescott is right here") }
        if let asked = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !asked.isEmpty {
            throw XCTSkip("OPENBLAS_CORETYPE=\(BLASKernels.shown(asked)) chooses this run's kernels (testAnExplicitCoreTypeIsRespected covers it)")
        }
        XCTAssertEqual(BLASKernels.active.core, wanted, "the process itself runs the kernels of its features")
        let before = product()
        defer { BLASKernels.switchOpenBLAS(to: BLASKernels.active.core) }

        XCTAssertTrue(BLASKernels.switchOpenBLAS(to: "Prescott"))
        XCTAssertEqual(BLASKernels.currentCore, "Prescott", "the fallback is in place")
        let chosen = BLASKernels.select(environment: [:], features: .detected)
        XCTAssertEqual(chosen.core, wanted)
        XCTAssertEqual(BLASKernels.currentCore, wanted)
        XCTAssertTrue(chosen.description.hasPrefix("\(wanted) kernels, chosen for "), chosen.description)
        XCTAssertTrue(chosen.description.hasSuffix("(OpenBLAS had picked Prescott)"), chosen.description)
        let after = product()
        XCTAssertEqual(after.count, before.count)
        XCTAssertEqual(zip(after, before).filter { $0.bitPattern != $1.bitPattern }.count, 0, "values of \(before.count) whose bits changed: the same kernels give the same bits")
    }

    func testAnExplicitCoreTypeIsRespected() {
        defer { BLASKernels.switchOpenBLAS(to: BLASKernels.active.core) }
        let chosen = BLASKernels.select(environment: ["OPENBLAS_CORETYPE": "Prescott"], features: .detected)
        XCTAssertEqual(chosen.core, "Prescott")
        XCTAssertEqual(chosen.description, "Prescott kernels, as OPENBLAS_CORETYPE=Prescott asks")
    }

    /// A name OpenBLAS has no kernels for leaves its own choice in place: the reason says so
    /// instead of claiming the variable was obeyed, and shows the value escaped.
    func testAnUnknownCoreTypeIsReportedAsNotObeyed() {
        defer { BLASKernels.switchOpenBLAS(to: BLASKernels.active.core) }
        let chosen = BLASKernels.select(environment: ["OPENBLAS_CORETYPE": "xyz\u{1B}[31m"], features: .detected)
        XCTAssertEqual(chosen.core, BLASKernels.currentCore)
        XCTAssertNotEqual(chosen.core.lowercased(), "xyz")
        XCTAssertEqual(chosen.reason, #"OpenBLAS's choice: it does not run the kernels OPENBLAS_CORETYPE="xyz\u{1B}[31m" names here"#)
        XCTAssertFalse(chosen.description.unicodeScalars.contains { $0.properties.generalCategory == .control })
        XCTAssertEqual(BLASKernels.shown(String(repeating: "a", count: 50)), String(repeating: "a", count: 40) + "…")
    }

    /// A product large enough to use the kernels' inner loops, with edge tiles.
    private func product() -> [Float] {
        let m = 37, n = 53, k = 301
        let a = (0..<(m * k)).map { Float(($0 * 7919) % 1000) / 997 - 0.5 }
        let b = (0..<(k * n)).map { Float(($0 * 104_729) % 1000) / 991 - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        BLAS.gemm(m: m, n: n, k: k, a: a, b: b, c: &c)
        return c
    }
}
