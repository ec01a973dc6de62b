import Randomness
import Foundation
import XCTest
@testable import Engine

final class ModelTests: XCTestCase {
    /// Keras's counts for the seed architectures: seed 001's summary prints 103,328; the others
    /// follow from Keras's formulas (kernel + bias per layer), cross-checked against Keras.
    func testParameterCountsEqualKeras() throws {
        XCTAssertEqual(try Model(ReferenceArchitectures.denseAE, seed: 0).parameterCount, 103_328)
        XCTAssertEqual(try Model(ReferenceArchitectures.mlpVAE, seed: 0).parameterCount, 631_188)
        XCTAssertEqual(try Model(ReferenceArchitectures.convVAE, seed: 0).parameterCount, 137_335)
        XCTAssertEqual(try Model(ReferenceArchitectures.studentVAE, seed: 0).parameterCount, 1_079_600)
        XCTAssertEqual(try Model(ReferenceArchitectures.convAE, seed: 0).parameterCount, 51_459)
    }

    /// The benchmark's FLOP count is what a training step really multiplies: no input gradient
    /// for the first layer, none through a leading flatten.
    func testBenchmarkCountsTheProductsATrainingStepPerforms() throws {
        let flattenFirst = Architecture(kind: .vae, inputShape: [28, 28, 1], encoder: [.flatten, .dense(units: 40, activation: .relu)], latent: 2,
                                        decoder: [.dense(units: 784, activation: .sigmoid)], loss: .bce)
        for architecture in [ReferenceArchitectures.mlpVAE, ReferenceArchitectures.convVAE, ReferenceArchitectures.convAE, flattenFirst] {
            let model = try Model(architecture, seed: 1)
            let batch = 3
            let x = [Float](repeating: 0.5, count: batch * architecture.inputSize)
            var rng = RandomGenerator(seed: 2)
            BLAS.performedFLOPs = 0
            _ = x.withUnsafeBufferPointer { model.step($0.baseAddress!, batch: batch, rng: &rng, train: true) }
            XCTAssertEqual(BLAS.performedFLOPs, model.trainingGEMMs(batch: batch).reduce(0) { $0 + $1.flops })
        }
    }

    /// Keras's usual decoder ends `Dense(784, "sigmoid")` then `Reshape`: with BCE it trains as
    /// the same decoder without the reshape, bit for bit (the sigmoid still moves into the loss).
    func testBCEDecoderMayEndWithAReshapeAfterItsSigmoid() throws {
        func trained(_ decoder: [LayerConfig]) throws -> (loss: Double, parameters: [[UInt32]]) {
            let architecture = Architecture(kind: .vae, inputShape: [4, 4, 1], encoder: [.flatten, .dense(units: 5, activation: .relu)], latent: 2,
                                            decoder: decoder, loss: .bce)
            let model = try Model(architecture, seed: 4)
            var rng = RandomGenerator(seed: 5)
            let x = (0..<(3 * 16)).map { _ in Float(rng.uniform()) }
            let loss = x.withUnsafeBufferPointer { model.step($0.baseAddress!, batch: 3, rng: &rng, train: true).total }
            return (loss, model.parameters.map { p in (0..<p.count).map { p.gradient[$0].bitPattern } })
        }
        let plain = try trained([.dense(units: 16, activation: .sigmoid)])
        let reshaped = try trained([.dense(units: 16, activation: .sigmoid), .reshape([4, 4, 1])])
        XCTAssertEqual(plain.loss.bitPattern, reshaped.loss.bitPattern)
        XCTAssertEqual(plain.parameters, reshaped.parameters)
        XCTAssertThrowsError(try Model(Architecture(kind: .autoencoder, inputShape: [4], encoder: [], latent: 4,
                                                    decoder: [.dense(units: 4, activation: .relu), .flatten], loss: .bce), seed: 0)) {
            XCTAssertEqual("\($0)", "loss 'bce' needs the decoder to end in a sigmoid (its last layer, or the last before a flatten or reshape), so outputs are probabilities")
        }
    }

    func testSummaryReadsLikeKeras() throws {
        let summary = try Model(ReferenceArchitectures.denseAE, seed: 0).summary(name: "autoencoder")
        XCTAssertEqual(summary.rows.map(\.name), ["input_layer", "dense", "dense_1", "dense_2", "dense_3"])
        XCTAssertEqual(summary.rows.map(\.parameters), [0, 50_240, 1_040, 1_088, 50_960])
        XCTAssertEqual(summary.rows.map(\.outputShape), ["(None, 28, 28, 1)", "(None, 64)", "(None, 16)", "(None, 64)", "(None, 784)"])
        XCTAssertTrue(summary.text.contains("Total params: 103,328"))
        let conv = try Model(ReferenceArchitectures.convVAE, seed: 0).summary()
        XCTAssertEqual(conv.rows.map(\.name), ["input_layer", "conv2d", "conv2d_1", "flatten", "dense", "z_mean", "z_log_var",
                                               "dense_1", "reshape", "conv2d_transpose", "conv2d_transpose_1", "conv2d_transpose_2"])
        // Each row's shape and count start under their headings, conv2d_transpose_1 (Conv2DTranspose) included.
        let lines = conv.text.split(separator: "\n").map { Array($0) }
        func offset(of text: String, in line: [Character]) -> Int? { String(line).range(of: text).map { String(line)[..<$0.lowerBound].count } }
        let header = try XCTUnwrap(lines.first { String($0).hasPrefix("Layer (type)") })
        let shapeColumn = try XCTUnwrap(offset(of: "Output Shape", in: header)), countColumn = try XCTUnwrap(offset(of: "Param #", in: header))
        let rows = lines.filter { String($0).contains("(None") }
        XCTAssertEqual(rows.count, 12)
        for row in rows {
            XCTAssertEqual(offset(of: "(None", in: row), shapeColumn, String(row))
            XCTAssertTrue(countColumn < row.count && row[countColumn].isNumber && row[countColumn - 1] == " ", String(row))
        }
    }

    func testArchitectureErrorsAreExplained() {
        var wrongLatent = ReferenceArchitectures.denseAE
        wrongLatent.latent = 8
        XCTAssertThrowsError(try Model(wrongLatent, seed: 0)) {
            XCTAssertEqual("\($0)", "the encoder ends with 16 values ((None, 16)), but the latent size is 8; for an autoencoder they must match")
        }
        var wrongOutput = ReferenceArchitectures.denseAE
        wrongOutput.decoder = [.dense(units: 100, activation: .sigmoid)]
        XCTAssertThrowsError(try Model(wrongOutput, seed: 0)) {
            XCTAssertEqual("\($0)", "the decoder ends with 100 values ((None, 100)), but the input has 784 ((None, 28, 28, 1))")
        }
        var bceWithoutSigmoid = ReferenceArchitectures.denseAE
        bceWithoutSigmoid.loss = .bce
        bceWithoutSigmoid.decoder = [.dense(units: 784, activation: .relu)]
        XCTAssertThrowsError(try Model(bceWithoutSigmoid, seed: 0))
        var convOnVector = ReferenceArchitectures.convAE
        convOnVector.decoder = [.deconv(filters: 1, kernel: (3, 3), stride: (1, 1), padding: .same, activation: .linear)]
        XCTAssertThrowsError(try Model(convOnVector, seed: 0)) { XCTAssertTrue("\($0)".hasPrefix("layer 1: Conv2DTranspose needs an image input")) }
    }

    /// The plan is worked out without building anything; it must describe what `Model` builds.
    func testThePlanAgreesWithTheBuiltModel() throws {
        for architecture in [ReferenceArchitectures.denseAE, ReferenceArchitectures.mlpVAE, ReferenceArchitectures.convVAE,
                             ReferenceArchitectures.studentVAE, ReferenceArchitectures.convAE] {
            let plan = try architecture.plan(), model = try Model(architecture, seed: 0)
            XCTAssertEqual(plan.parameterCount, model.parameterCount)
            XCTAssertEqual(plan.decoderShapes.last.map { $0.reduce(1, *) }, 784)
            XCTAssertGreaterThan(plan.trainingBytes(batch: 32), plan.parameterCount * 16)
        }
    }

    /// Sizes whose products overflow are an error before anything is allocated, never a trap;
    /// the budget arithmetic saturates.
    func testSizesThatOverflowAreAnErrorNotATrap() throws {
        var huge = ReferenceArchitectures.denseAE
        huge.encoder = [.flatten, .dense(units: Int.max, activation: .relu)]
        XCTAssertThrowsError(try huge.plan()) { XCTAssertEqual("\($0)", "layer 2: the model is too large: its sizes overflow a 64-bit count") }
        XCTAssertThrowsError(try Model(huge, seed: 0))
        var wide = ReferenceArchitectures.convAE
        wide.encoder = [.reshape([1 << 31, 1 << 31, 1])]
        XCTAssertThrowsError(try wide.plan()) { XCTAssertTrue("\($0)".hasPrefix("layer 1: cannot reshape (None, 28, 28, 1) (784 values) to"), "\($0)") }
        var strided = ReferenceArchitectures.convAE
        strided.decoder = [.dense(units: 4, activation: .relu), .reshape([2, 2, 1]),
                           .deconv(filters: 1, kernel: (3, 3), stride: (Int.max / 2 + 1, 1), padding: .same, activation: .sigmoid)]
        XCTAssertThrowsError(try strided.plan()) { XCTAssertEqual("\($0)", "layer 3: the model is too large: its sizes overflow a 64-bit count") }
        var big = ReferenceArchitectures.denseAE
        big.encoder = [.flatten, .dense(units: 1 << 24, activation: .relu), .dense(units: 16, activation: .relu)]
        XCTAssertGreaterThan(try big.plan().trainingBytes(batch: Int.max), 1 << 62)
    }

    func testInferenceShapesAndRanges() throws {
        let model = try Model(ReferenceArchitectures.mlpVAE, seed: 1)
        var rng = RandomGenerator(seed: 2)
        let x = (0..<(300 * 784)).map { _ in Float(rng.uniform()) }
        let codes = x.withUnsafeBufferPointer { model.encode($0.baseAddress!, count: 300) }
        XCTAssertEqual(codes.count, 600)
        let images = codes.withUnsafeBufferPointer { model.decode($0.baseAddress!, count: 300) }
        XCTAssertEqual(images.count, 300 * 784)
        XCTAssertTrue(images.allSatisfy { $0 > 0 && $0 < 1 }, "a BCE model's outputs are probabilities")
        let samples = model.samplePrior(count: 5, rng: &rng)
        XCTAssertEqual(samples.count, 5 * 784)
        let deterministic = x.withUnsafeBufferPointer { model.reconstruct($0.baseAddress!, count: 300) }
        XCTAssertEqual(deterministic, images, "reconstruct decodes the posterior mean")
    }
}
