import Foundation
import XCTest
@testable import Engine

/// The engine's own eˣ, the sigmoid built on it, and the loss sums: against double precision.
final class ExponentialTests: XCTestCase {
    /// Ulps between `value` and the Float nearest to `exact`.
    private func ulps(_ value: Float, _ exact: Double) -> Float {
        let rounded = Float(exact)
        return abs(value - rounded) / rounded.ulp
    }

    func testWithinTwoUlpOverItsWholeRange() {
        var worst: Float = 0, worstAt: Float = 0
        func check(_ x: Float) {
            let error = ulps(Exponential.exp(x), Foundation.exp(Double(x)))
            if error > worst { worst = error; worstAt = x }
        }
        // 400,001 points spread over the whole range, then values close to 0 on both sides.
        let span = Double(Exponential.highest) - Double(Exponential.lowest)
        for i in 0...400_000 { check(Float(Double(Exponential.lowest) + span * Double(i) / 400_000)) }
        for k in 1...60 { check(Float(pow(2, -Double(k)))); check(-Float(pow(2, -Double(k)))) }
        XCTAssertLessThanOrEqual(worst, 2, "worst at x = \(worstAt)")
        XCTAssertEqual(Exponential.exp(0), 1)
        XCTAssertEqual(Exponential.exp(1), Float(M_E), accuracy: Float(M_E).ulp)
    }

    func testEndsOfTheRangeAndNaN() {
        XCTAssertEqual(Exponential.exp(-88), 0)
        XCTAssertEqual(Exponential.exp(-Float.infinity), 0)
        XCTAssertEqual(Exponential.exp(89), .infinity)
        XCTAssertEqual(Exponential.exp(.infinity), .infinity)
        XCTAssertTrue(Exponential.exp(.nan).isNaN, "a NaN must reach the loss, which then stops training")
        XCTAssertTrue(Exponential.exp(Exponential.lowest).isNormal)
        XCTAssertTrue(Exponential.exp(Exponential.highest).isFinite)
    }

    func testSigmoidAgainstDoublePrecision() {
        var worst: Float = 0
        for i in -4000...4000 {
            let x = Float(i) / 100
            let exact = 1 / (1 + Foundation.exp(-Double(x)))
            worst = max(worst, ulps(Activation.sigmoid(x), exact))
        }
        XCTAssertLessThanOrEqual(worst, 3)
        XCTAssertEqual(Activation.sigmoid(-100), 0)
        XCTAssertEqual(Activation.sigmoid(100), 1)
        XCTAssertTrue(Activation.sigmoid(.nan).isNaN)
    }

    /// The loss of a batch with a length that is not a multiple of the chunks or the lanes,
    /// against the same loss summed in double precision.
    func testReconstructionLossesAgainstDoublePrecision() {
        let samples = 3, size = 2 * Losses.chunkLength + 13
        var p = [Float](repeating: 0, count: samples * size), x = p
        for i in p.indices {
            p[i] = Float(sin(Double(i) * 0.37)) * 6
            x[i] = Float(i % 7) / 6
        }
        for loss in [ReconstructionLoss.bce, .mse] {
            var gradient = [Float](repeating: 0, count: p.count), perSample = [Double](repeating: 0, count: samples)
            let total = Losses.reconstruction(loss, prediction: p, target: x, samples: samples, size: size,
                                              gradient: &gradient, scale: 0.5, perSample: &perSample)
            var exactTotal = 0.0
            for n in 0..<samples {
                var exact = 0.0
                for i in (n * size)..<((n + 1) * size) {
                    let a = Double(p[i]), t = Double(x[i])
                    switch loss {
                    case .bce:
                        exact += max(a, 0) - t * a + log1p(Foundation.exp(-abs(a)))
                        XCTAssertEqual(Double(gradient[i]), 0.5 * (1 / (1 + Foundation.exp(-a)) - t), accuracy: 1e-7)
                    case .mse:
                        exact += (a - t) * (a - t)
                        XCTAssertEqual(Double(gradient[i]), 0.5 * 2 * (a - t), accuracy: 1e-6)
                    }
                }
                XCTAssertEqual(perSample[n], exact, accuracy: exact * 1e-6, "\(loss), sample \(n)")
                exactTotal += exact
            }
            XCTAssertEqual(total, exactTotal, accuracy: exactTotal * 1e-6)
        }
    }

    func testLaneSumKeepsItsOrderAcrossCalls() {
        let values = (0..<37).map { Float($0) * 0.1 + 1e-3 }
        var whole = LaneSum(), pieces = LaneSum()
        values.withUnsafeBufferPointer { v in
            whole.add(v.baseAddress!, count: 37)
            pieces.add(v.baseAddress!, count: 16)
            pieces.add(v.baseAddress! + 16, count: 16)
            pieces.add(v.baseAddress! + 32, count: 5)
        }
        XCTAssertEqual(whole.total.bitPattern, pieces.total.bitPattern)
        XCTAssertEqual(whole.total, values.reduce(0) { $0 + Double($1) }, accuracy: 1e-9)
    }
}
