import Randomness
import XCTest
@testable import Engine

/// The convolutions run a batch as blocks of samples; a batch must give exactly what its samples
/// give one at a time: outputs, input gradients, and, when a block is one sample, the kernel
/// gradient summed in order (a block of several samples sums their terms in one product).
final class BlockedConvolutionTests: XCTestCase {
    private func compareBatchWithSingles(_ layer: Layer, batch: Int, oneSamplePerBlock: Bool = true, line: UInt = #line) {
        var rng = RandomGenerator(seed: 4)
        layer.initialize(using: &rng)
        let inSize = layer.inputShape.reduce(1, *), outSize = layer.outputShape.reduce(1, *)
        let x = (0..<(batch * inSize)).map { _ in Float(rng.normal()) }
        let upstream = (0..<(batch * outSize)).map { _ in Float(rng.normal()) }

        func run(_ range: Range<Int>) -> (y: [Float], dx: [Float]) {
            let n = range.count
            // NaN where the layer writes: it must write every value, not add to what was there.
            var y = [Float](repeating: .nan, count: n * outSize), dx = [Float](repeating: .nan, count: n * inSize)
            var dy = Array(upstream[(range.lowerBound * outSize)..<(range.upperBound * outSize)])
            let xs = Array(x[(range.lowerBound * inSize)..<(range.upperBound * inSize)])
            xs.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { layer.forward(xp.baseAddress!, $0.baseAddress!, batch: n) }
                y.withUnsafeBufferPointer { yp in dy.withUnsafeMutableBufferPointer { dyp in dx.withUnsafeMutableBufferPointer { dxp in
                    layer.backward(input: xp.baseAddress!, output: yp.baseAddress!, outputGradient: dyp.baseAddress!, inputGradient: dxp.baseAddress!, batch: n)
                } } }
            }
            return (y, dx)
        }
        for p in layer.parameters { p.gradient.fill(0) }
        let whole = run(0..<batch)
        let batchGradients = layer.parameters.map(\.gradient.array)
        for p in layer.parameters { p.gradient.fill(0) }
        var y: [Float] = [], dx: [Float] = []
        for n in 0..<batch {
            let single = run(n..<(n + 1))
            y += single.y
            dx += single.dx
        }
        XCTAssertEqual(whole.y, y, "outputs", line: line)
        XCTAssertEqual(whole.dx, dx, "input gradients", line: line)
        let singlesGradients = layer.parameters.map(\.gradient.array)
        if oneSamplePerBlock {
            XCTAssertEqual(batchGradients, singlesGradients, "parameter gradients", line: line)
        } else {
            for (batchGradient, singlesGradient) in zip(batchGradients, singlesGradients) {
                for (g, s) in zip(batchGradient, singlesGradient) { XCTAssertEqual(g, s, accuracy: 1e-4 * max(1, abs(s)), "parameter gradients", line: line) }
            }
        }
    }

    func testABatchEqualsItsSamplesOneAtATime() throws {
        let transposed = try Conv2DTranspose(inputShape: [14, 14, 64], filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu)
        XCTAssertEqual(transposed.geometry.samplesPerBlock, 1, "several blocks in a batch of 3")
        compareBatchWithSingles(transposed, batch: 3)
        let convolution = try Conv2D(inputShape: [28, 28, 32], filters: 64, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu)
        XCTAssertEqual(convolution.geometry.samplesPerBlock, 1)
        compareBatchWithSingles(convolution, batch: 3)
        // The one-channel ends of the conv VAE, whose products go to the small-product kernels.
        let decoderEnd = try Conv2DTranspose(inputShape: [28, 28, 32], filters: 1, kernel: (3, 3), padding: .same, activation: .sigmoid)
        XCTAssertEqual(decoderEnd.geometry.samplesPerBlock, 9, "two blocks in a batch of 11")
        compareBatchWithSingles(decoderEnd, batch: 11, oneSamplePerBlock: false)
        // Input pixels no tap reads (the last row and column): the kernel that scatters the input
        // gradient cannot write them, so they are zeroed first.
        let uncovered = try Conv2D(inputShape: [10, 10, 16], filters: 16, kernel: (3, 3), stride: (2, 2), padding: .valid, activation: .relu)
        XCTAssertNil(ScatterTargets(uncovered.geometry).firstTerms)
        compareBatchWithSingles(uncovered, batch: 3, oneSamplePerBlock: uncovered.geometry.samplesPerBlock == 1)
        XCTAssertNotNil(ScatterTargets(convolution.geometry).firstTerms)
        let encoderStart = try Conv2D(inputShape: [28, 28, 1], filters: 32, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu)
        XCTAssertEqual(encoderStart.geometry.samplesPerBlock, 37, "two blocks in a batch of 40")
        compareBatchWithSingles(encoderStart, batch: 40, oneSamplePerBlock: false)
    }
}
