import Randomness
import XCTest
@testable import Engine

/// `Sequential` never runs its `Flatten` and `Reshape` layers: the next layer reads their input,
/// and their input's gradient is their output's. A stack with reshapes must give the bits of the
/// same stack without them (a `Dense` reads an image flattened), forward and backward.
final class ReshapeThroughTests: XCTestCase {
    private let batch = 5

    /// Output, input gradient, output gradient (drawn) and parameter gradients of one forward and
    /// backward pass.
    private func pass(_ configs: [LayerConfig], inputShape: [Int]) throws -> [[Float]] {
        let stack = try Sequential(configs, inputShape: inputShape)
        var rng = RandomGenerator(seed: 11)
        for layer in stack.layers { layer.initialize(using: &rng) }
        let inputSize = inputShape.reduce(1, *)
        let x = FloatBuffer(count: batch * inputSize), dx = FloatBuffer(count: batch * inputSize, value: 7)
        for i in 0..<x.count { x[i] = Float(rng.uniform(-1, 1)) }
        let y = stack.forward(x.pointer, batch: batch)
        let output = Array(UnsafeBufferPointer(start: y, count: batch * stack.outputSize))
        let dy = stack.outputGradient(batch: batch)
        for i in 0..<(batch * stack.outputSize) { dy[i] = Float(rng.uniform(-1, 1)) }
        let outputGradient = Array(UnsafeBufferPointer(start: dy, count: batch * stack.outputSize))
        stack.backward(x.pointer, batch: batch, inputGradient: dx.pointer)
        return [output, Array(UnsafeBufferPointer(start: dx.pointer, count: dx.count)), outputGradient]
            + stack.parameters.map { Array(UnsafeBufferPointer(start: $0.gradient.pointer, count: $0.count)) }
    }

    private func assertSameBits(_ a: [[Float]], _ b: [[Float]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (u, v) in zip(a, b) { XCTAssertEqual(u.map(\.bitPattern), v.map(\.bitPattern), file: file, line: line) }
    }

    func testReshapesBetweenLayersChangeNoBit() throws {
        let conv = LayerConfig.conv(filters: 3, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu)
        let plain = try pass([conv, .dense(units: 6, activation: .tanh), .dense(units: 12, activation: .sigmoid)], inputShape: [8, 8, 1])
        let reshaped = try pass([.reshape([64]), .reshape([8, 8, 1]), conv, .flatten, .reshape([4, 4, 3]), .dense(units: 6, activation: .tanh),
                                 .reshape([2, 3]), .flatten, .dense(units: 12, activation: .sigmoid), .reshape([3, 4])], inputShape: [8, 8, 1])
        assertSameBits(plain, reshaped)
    }

    func testAStackOfReshapesPassesTheGradientBack() throws {
        let result = try pass([.reshape([4, 2]), .flatten], inputShape: [8])
        XCTAssertEqual(result.count, 3)
        // The input's gradient is the output's (the buffer held 7s before).
        XCTAssertEqual(result[1], result[2])
        XCTAssertEqual(result[1].count, batch * 8)
    }
}
