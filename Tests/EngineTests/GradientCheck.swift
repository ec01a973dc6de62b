import Randomness
import XCTest
@testable import Engine

/// Finite-difference gradient checks.
///
/// The engine computes in Float32. Central differences with step h have truncation error O(h²)
/// and rounding error about ε_float · |L| / h; with h = 1e-2 and losses of order 1 both are near
/// 1e-4 relative. We compare whole gradient vectors by the normalised error
/// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), which is ~1e-5 to 1e-4 when the gradient is
/// right and of order 1 when a term is missing or mis-indexed; 2e-3 separates the two.
enum GradientCheck {
    static let step: Float = 1e-2
    static let tolerance = 2e-3

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let norm = a.map { $0 * $0 }.reduce(0, +).squareRoot() + b.map { $0 * $0 }.reduce(0, +).squareRoot()
        return norm == 0 ? 0 : diff / norm
    }

    /// Checks dL/dx and dL/dθ of one layer for L = Σ r ⊙ layer(x), r random.
    static func check(_ layer: Layer, batch: Int = 2, seed: UInt64 = 1, inputAwayFromZero: Bool = false,
                      file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: seed)
        layer.initialize(using: &rng)
        for p in layer.parameters {           // non-zero biases, so their gradient matters
            for i in 0..<p.count where p.name == "bias" { p.value[i] = rng.uniform(-0.5, 0.5) }
        }
        var x = (0..<(batch * layer.inputSize)).map { _ in rng.uniform(-1, 1) }
        if inputAwayFromZero { x = x.map { $0 < 0 ? $0 - 0.2 : $0 + 0.2 } }
        let r = (0..<(batch * layer.outputSize)).map { _ in rng.uniform(-1, 1) }

        func loss(_ input: [Float]) -> Double {
            var y = [Float](repeating: 0, count: batch * layer.outputSize)
            input.withUnsafeBufferPointer { xi in y.withUnsafeMutableBufferPointer { layer.forward(xi.baseAddress!, $0.baseAddress!, batch: batch) } }
            return zip(y, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        // Analytic.
        for p in layer.parameters { p.gradient.fill(0) }
        var y = [Float](repeating: 0, count: batch * layer.outputSize)
        var dy = r
        var dx = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xi in
            y.withUnsafeMutableBufferPointer { yo in
                layer.forward(xi.baseAddress!, yo.baseAddress!, batch: batch)
                dy.withUnsafeMutableBufferPointer { g in
                    dx.withUnsafeMutableBufferPointer { layer.backward(input: xi.baseAddress!, output: yo.baseAddress!, outputGradient: g.baseAddress!, inputGradient: $0.baseAddress!, batch: batch) }
                }
            }
        }

        // Numeric, input.
        var numericX: [Double] = []
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += step; minus[i] -= step
            numericX.append((loss(plus) - loss(minus)) / Double(2 * step))
        }
        let errorX = relativeError(dx.map(Double.init), numericX)
        XCTAssertLessThan(errorX, tolerance, "\(layer.typeName): dL/dx", file: file, line: line)

        // Numeric, parameters.
        for p in layer.parameters {
            let analytic = p.gradient.array.map(Double.init)
            var numeric: [Double] = []
            for i in 0..<p.count {
                let saved = p.value[i]
                p.value[i] = saved + step; let lp = loss(x)
                p.value[i] = saved - step; let lm = loss(x)
                p.value[i] = saved
                numeric.append((lp - lm) / Double(2 * step))
            }
            XCTAssertLessThan(relativeError(analytic, numeric), tolerance, "\(layer.typeName): dL/d\(p.name)", file: file, line: line)
        }
    }

    /// Checks every parameter gradient of a whole model, loss included, with ε fixed by the seed.
    static func check(_ model: Model, batch: Int = 3, seed: UInt64 = 5, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: seed)
        let x = (0..<(batch * model.architecture.inputSize)).map { _ in Float(rng.uniform()) }
        func loss() -> Double {
            var noise = RandomGenerator(seed: 99)
            return x.withUnsafeBufferPointer { model.step($0.baseAddress!, batch: batch, rng: &noise, train: false).total }
        }
        var noise = RandomGenerator(seed: 99)
        _ = x.withUnsafeBufferPointer { model.step($0.baseAddress!, batch: batch, rng: &noise, train: true) }
        var analytic: [Double] = [], numeric: [Double] = []
        for p in model.parameters {
            analytic += p.gradient.array.map(Double.init)
            for i in 0..<p.count {
                let saved = p.value[i]
                p.value[i] = saved + step; let lp = loss()
                p.value[i] = saved - step; let lm = loss()
                p.value[i] = saved
                numeric.append((lp - lm) / Double(2 * step))
            }
        }
        XCTAssertLessThan(relativeError(analytic, numeric), tolerance, "\(model.architecture.kind) model gradient", file: file, line: line)
    }
}
