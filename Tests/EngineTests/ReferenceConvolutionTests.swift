import Randomness
import XCTest
@testable import Engine

/// The im2col + GEMM convolutions against plain loops written from the definitions.
final class ReferenceConvolutionTests: XCTestCase {
    /// y[oh, ow, f] = b[f] + Σ_{ki, kj, c} x[oh·s − pad + ki, ow·s − pad + kj, c] · W[ki, kj, c, f]
    private func referenceConv(_ x: [Float], _ layer: Conv2D) -> [Float] {
        let g = layer.geometry, filters = layer.outputShape[2]
        var y = [Float](repeating: 0, count: layer.outputSize)
        for oh in 0..<g.outH { for ow in 0..<g.outW { for f in 0..<filters {
            var sum = layer.bias.value[f]
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let ih = oh * g.strideH - g.padTop + ki, iw = ow * g.strideW - g.padLeft + kj
                guard ih >= 0, ih < g.inH, iw >= 0, iw < g.inW else { continue }
                for c in 0..<g.channels {
                    sum += x[(ih * g.inW + iw) * g.channels + c] * layer.kernel.value[((ki * g.kw + kj) * g.channels + c) * filters + f]
                }
            } }
            y[(oh * g.outW + ow) * filters + f] = sum
        } } }
        return y
    }

    /// Each input pixel scatters x[i, j, c] · W[ki, kj, f, c] onto y[i·s − pad + ki, j·s − pad + kj, f].
    private func referenceDeconv(_ x: [Float], _ layer: Conv2DTranspose) -> [Float] {
        let g = layer.geometry, filters = layer.outputShape[2], cin = layer.inputShape[2]
        var y = [Float](repeating: 0, count: layer.outputSize)
        for i in 0..<layer.inputShape[0] { for j in 0..<layer.inputShape[1] { for c in 0..<cin {
            let v = x[(i * layer.inputShape[1] + j) * cin + c]
            for ki in 0..<g.kh { for kj in 0..<g.kw {
                let oh = i * g.strideH - g.padTop + ki, ow = j * g.strideW - g.padLeft + kj
                guard oh >= 0, oh < g.inH, ow >= 0, ow < g.inW else { continue }
                for f in 0..<filters {
                    y[(oh * g.inW + ow) * filters + f] += v * layer.kernel.value[((ki * g.kw + kj) * filters + f) * cin + c]
                }
            } }
        } } }
        for p in 0..<(g.inH * g.inW) { for f in 0..<filters { y[p * filters + f] += layer.bias.value[f] } }
        return y
    }

    /// Into a buffer of NaN: a layer writes every value of its output, whatever the buffer held.
    private func run(_ layer: Layer, _ x: [Float]) -> [Float] {
        var y = [Float](repeating: .nan, count: layer.outputSize)
        x.withUnsafeBufferPointer { xi in y.withUnsafeMutableBufferPointer { layer.forward(xi.baseAddress!, $0.baseAddress!, batch: 1) } }
        return y
    }

    func testConvolutionMatchesTheDefinition() throws {
        var rng = RandomGenerator(seed: 3)
        for (shape, k, s, padding) in [([9, 9, 3], (3, 3), (2, 2), Padding.same), ([8, 7, 2], (5, 3), (1, 2), .valid), ([28, 28, 1], (3, 3), (2, 2), .same)] {
            let layer = try Conv2D(inputShape: shape, filters: 4, kernel: k, stride: s, padding: padding)
            layer.initialize(using: &rng)
            for f in 0..<4 { layer.bias.value[f] = Float(f) * 0.1 }
            let x = (0..<layer.inputSize).map { _ in rng.uniform(-1, 1) }
            let expected = referenceConv(x, layer), actual = run(layer, x)
            for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-4) }
        }
    }

    func testTransposedConvolutionMatchesTheDefinition() throws {
        var rng = RandomGenerator(seed: 4)
        // 3 filters go through cols and col2im; 32 through the kernel that scatters as it multiplies.
        for (shape, filters, k, s, padding) in [([7, 7, 3], 3, (3, 3), (2, 2), Padding.same), ([1, 1, 2], 3, (7, 7), (1, 1), .valid),
                                                ([14, 14, 2], 3, (7, 7), (2, 2), .same), ([3, 4, 2], 3, (3, 2), (2, 3), .valid),
                                                ([7, 7, 5], 32, (3, 3), (2, 2), .same), ([3, 4, 2], 16, (3, 2), (2, 3), .valid),
                                                ([5, 4, 3], 16, (1, 1), (3, 3), .valid), ([4, 4, 2], 32, (5, 5), (1, 1), .same)] {
            let layer = try Conv2DTranspose(inputShape: shape, filters: filters, kernel: k, stride: s, padding: padding)
            layer.initialize(using: &rng)
            for f in 0..<filters { layer.bias.value[f] = Float(f) * 0.1 }
            let x = (0..<layer.inputSize).map { _ in rng.uniform(-1, 1) }
            let expected = referenceDeconv(x, layer), actual = run(layer, x)
            for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-4) }
        }
    }

    func testKerasOutputShapes() throws {
        XCTAssertEqual(try Conv2D(inputShape: [28, 28, 1], filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same).outputShape, [14, 14, 32])
        XCTAssertEqual(try Conv2D(inputShape: [7, 7, 64], filters: 2, kernel: (7, 7), padding: .valid).outputShape, [1, 1, 2])
        XCTAssertEqual(try Conv2D(inputShape: [28, 28, 1], filters: 1, kernel: (5, 5), stride: (3, 3), padding: .valid).outputShape, [8, 8, 1])
        XCTAssertEqual(try Conv2D(inputShape: [27, 27, 1], filters: 1, kernel: (3, 3), stride: (2, 2), padding: .same).outputShape, [14, 14, 1])
        XCTAssertEqual(try Conv2DTranspose(inputShape: [1, 1, 2], filters: 64, kernel: (7, 7), padding: .valid).outputShape, [7, 7, 64])
        XCTAssertEqual(try Conv2DTranspose(inputShape: [7, 7, 64], filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same).outputShape, [14, 14, 32])
        XCTAssertEqual(try Conv2DTranspose(inputShape: [14, 14, 32], filters: 1, kernel: (7, 7), stride: (2, 2), padding: .same).outputShape, [28, 28, 1])
        XCTAssertEqual(try Conv2DTranspose(inputShape: [7, 7, 1], filters: 1, kernel: (3, 3), stride: (2, 2), padding: .valid).outputShape, [15, 15, 1])
        XCTAssertEqual(try Conv2DTranspose(inputShape: [7, 7, 1], filters: 1, kernel: (1, 1), stride: (2, 2), padding: .valid).outputShape, [14, 14, 1])
        XCTAssertThrowsError(try Conv2D(inputShape: [5, 5, 1], filters: 1, kernel: (7, 7), padding: .valid))
    }
}
