import Randomness
import XCTest
@testable import Engine

/// The eight- and sixteen-lane sigmoid and cross-entropy against the Swift code they stand in
/// for: the same bits, value by value, on values from every part of the Float range.
final class VectorMathKernelsTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(VectorMathKernels.available, "this CPU has no AVX2: the engine runs the Swift code only")
    }

    /// Ends of the exponential's range, zeros of both signs, subnormals, infinities and NaN,
    /// then random bit patterns (every exponent) and random values where training lives.
    private func testValues(_ count: Int, seed: UInt64) -> [Float] {
        var values: [Float] = [0, -0.0, 1, -1, 0.5, -0.5, 1e-30, -1e-30, Float.leastNonzeroMagnitude, -Float.leastNonzeroMagnitude,
                               Float.leastNormalMagnitude, Exponential.lowest, -Exponential.lowest, Exponential.highest,
                               -Exponential.highest, Exponential.lowest.nextDown, Exponential.highest.nextUp, 87.5, -87.5, 88.4, -88.4,
                               100, -100, 1e30, -1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, .nan]
        var rng = RandomGenerator(seed: seed)
        while values.count < count {
            values.append(values.count % 2 == 0 ? Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) : Float(rng.uniform(-20, 20)))
        }
        return Array(values.prefix(count))
    }

    private func assertSameBits(_ actual: [Float], _ expected: [Float], _ what: String, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, line: line)
        let differing = zip(actual, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        XCTAssertTrue(differing.isEmpty, "\(what): \(differing.count) of \(actual.count) values differ, first at \(differing.first.map { "\($0.offset): \($0.element.0) against \($0.element.1)" } ?? "")", line: line)
    }

    /// Every width this CPU runs: the sigmoid and the cross-entropy have a sixteen-lane build.
    private let lanes: [VectorLanes] = VectorLanes.widest == .sixteen ? [.eight, .sixteen] : [.eight]

    /// The parts of an ordered sum: every length up to past a whole unrolled step, so that each tail is met.
    func testAddingAPartHasTheBitsOfTheSwiftLoop() {
        for count in [0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 18_433] {
            let part = testValues(count, seed: 31), start = testValues(count, seed: 32)
            var expected = start
            for i in 0..<count { expected[i] += part[i] }
            var total = start
            VectorMathKernels.add(part, into: &total, count: count)
            assertSameBits(total, expected, "add, \(count) values")
        }
    }

    func testTheSigmoidHasTheBitsOfTheSwiftCode() {
        // Lengths around the eight and sixteen lanes: the last values go through a partial vector.
        for lanes in lanes {
            for count in [1, 7, 8, 9, 15, 16, 17, 31, 33, 20_003] {
                let x = testValues(count, seed: UInt64(count))
                for bias: Float in [0, 0.25, -3] {
                    var y = x
                    y.withUnsafeMutableBufferPointer { VectorMathKernels.sigmoid($0.baseAddress!, count: count, bias: bias, lanes: lanes) }
                    assertSameBits(y, x.map { Activation.sigmoid($0 + bias) }, "σ(x + \(bias)), \(count) values, \(lanes) lanes")
                }
            }
        }
    }

    func testABiasedSigmoidOverPartOfEachRow() {
        // 13 columns of rows of 20: the 7 after them are left as they were.
        // And 21 columns of rows of 24: one whole vector of sixteen and a part.
        for lanes in lanes {
            for (width, rowLength) in [(13, 20), (21, 24)] {
                let rows = 37
                let x = testValues(rows * rowLength, seed: 7), bias = testValues(width, seed: 8).map { $0 / 1e30 }
                var y = x
                y.withUnsafeMutableBufferPointer { y in
                    bias.withUnsafeBufferPointer {
                        VectorMathKernels.biasSigmoid(y.baseAddress!, rows: rows, width: width, rowLength: rowLength, bias: $0.baseAddress!, lanes: lanes)
                    }
                }
                let expected = x.enumerated().map { i, v in i % rowLength < width ? Activation.sigmoid(v + bias[i % rowLength]) : v }
                assertSameBits(y, expected, "σ(x + b) on \(width) of \(rowLength) columns, \(lanes) lanes")
            }
        }
    }

    func testTheCrossEntropyHasTheBitsOfTheSwiftCode() {
        for lanes in lanes {
            crossEntropyHasTheBitsOfTheSwiftCode(lanes: lanes)
        }
    }

    private func crossEntropyHasTheBitsOfTheSwiftCode(lanes: VectorLanes) {
        for count in [1, 8, 9, 17, 23, 10_007] {
            let logits = testValues(count, seed: UInt64(100 + count))
            var rng = RandomGenerator(seed: UInt64(count))
            // Targets in [0, 1] as pixels are, and a few outside it.
            let targets = (0..<count).map { i in i % 11 == 0 ? Float(rng.uniform(-2, 3)) : Float(rng.uniform()) }
            let scale: Float = 1 / 784
            var values = [Float](repeating: .nan, count: count), gradients = values
            logits.withUnsafeBufferPointer { a in targets.withUnsafeBufferPointer { x in
                values.withUnsafeMutableBufferPointer { v in gradients.withUnsafeMutableBufferPointer { g in
                    VectorMathKernels.binaryCrossEntropy(logits: a.baseAddress!, targets: x.baseAddress!, count: count, scale: scale,
                                                         values: v.baseAddress!, gradient: g.baseAddress!, lanes: lanes)
                } }
            } }
            let expected = zip(logits, targets).map { Losses.binaryCrossEntropy(logit: $0, target: $1, scale: scale) }
            assertSameBits(values, expected.map(\.value), "loss values, \(count), \(lanes) lanes")
            assertSameBits(gradients, expected.map(\.gradient), "gradients, \(count), \(lanes) lanes")

            // Without gradients: the values alone, the same.
            var valuesOnly = [Float](repeating: .nan, count: count)
            logits.withUnsafeBufferPointer { a in targets.withUnsafeBufferPointer { x in valuesOnly.withUnsafeMutableBufferPointer { v in
                VectorMathKernels.binaryCrossEntropy(logits: a.baseAddress!, targets: x.baseAddress!, count: count, scale: scale,
                                                     values: v.baseAddress!, gradient: nil, lanes: lanes)
            } } }
            assertSameBits(valuesOnly, values, "loss values without gradients, \(count), \(lanes) lanes")
        }
    }

    /// The gradient written elsewhere (into a frame) has the bits of the gradient in place, and so
    /// has the bias gradient, for every activation and widths on and off the kernels, dy untouched.
    func testTheGradientIntoADestinationHasTheBitsOfTheGradientInPlace() {
        let activations: [Activation] = [.linear, .relu, .leakyReLU(alpha: 0.3), .sigmoid, .tanh]
        for (index, activation) in activations.enumerated() {
            for width in [1, 3, 8, 13, 32, 40] {
                let rows = 17, seed = UInt64(500 * index + width)
                let y = testValues(rows * width, seed: seed).enumerated().map { i, v in i % 3 == 0 ? v : Activation.sigmoid(v) }
                let dy = testValues(rows * width, seed: seed + 1), db = testValues(width, seed: seed + 2)
                var (inPlace, inPlaceDb) = (dy, db)
                var (destination, destinationDb) = ([Float](repeating: .nan, count: dy.count), db)
                activation.backward(output: y, gradient: &inPlace, rows: rows, channels: width, biasGradient: &inPlaceDb)
                activation.backward(output: y, gradient: dy, into: &destination, rows: rows, channels: width, biasGradient: &destinationDb)
                assertSameBits(destination, inPlace, "\(activation) gradient into a destination, width \(width)")
                assertSameBits(destinationDb, inPlaceDb, "\(activation) bias gradient, width \(width)")
            }
        }
    }

    /// A layer's bias and activation, and their gradients, on part of each row: widths around
    /// the kernels' vectors of 8 and groups of 32, the columns past them left as they were.
    func testBiasActivationAndGradientsHaveTheBitsOfTheSwiftCode() {
        let activations: [Activation] = [.linear, .relu, .leakyReLU(alpha: 0.3), .sigmoid, .tanh]
        for (index, activation) in activations.enumerated() {
            for width in [8, 13, 31, 32, 40, 64, 77] {
                let rows = 19, rowLength = width + 3
                let seed = UInt64(1000 * index + width)
                let x = testValues(rows * rowLength, seed: seed), bias = testValues(width, seed: seed + 1)
                var kernel = x, swift = x
                bias.withUnsafeBufferPointer { b in
                    kernel.withUnsafeMutableBufferPointer {
                        activation.forward($0.baseAddress!, rows: 0..<rows, columns: 0..<width, rowLength: rowLength, bias: b.baseAddress!)
                    }
                    swift.withUnsafeMutableBufferPointer {
                        activation.forwardReference($0.baseAddress!, rows: rows, width: width, rowLength: rowLength, bias: b.baseAddress!)
                    }
                }
                assertSameBits(kernel, swift, "\(activation) forward, \(width) of \(rowLength) columns")

                // Outputs where the activations put them (and every bit pattern), gradients, and
                // bias gradients that already hold a sum.
                let y = testValues(rows * rowLength, seed: seed + 2).enumerated().map { i, v in i % 3 == 0 ? v : Activation.sigmoid(v) }
                let dy = testValues(rows * rowLength, seed: seed + 3), db = testValues(width, seed: seed + 4)
                var (kernelDy, kernelDb, swiftDy, swiftDb) = (dy, db, dy, db)
                y.withUnsafeBufferPointer { y in
                    kernelDy.withUnsafeMutableBufferPointer { g in kernelDb.withUnsafeMutableBufferPointer { b in
                        activation.backward(output: y.baseAddress!, gradient: g.baseAddress!, rows: 0..<rows, columns: 0..<width,
                                            rowLength: rowLength, biasGradient: b.baseAddress!)
                    } }
                    swiftDy.withUnsafeMutableBufferPointer { g in swiftDb.withUnsafeMutableBufferPointer { b in
                        activation.backwardReference(output: y.baseAddress!, gradient: g.baseAddress!, rows: rows, width: width,
                                                     rowLength: rowLength, biasGradient: b.baseAddress!)
                    } }
                }
                assertSameBits(kernelDy, swiftDy, "\(activation) gradient, \(width) of \(rowLength) columns")
                assertSameBits(kernelDb, swiftDb, "\(activation) bias gradient, \(width) columns")
            }
        }
    }
}
