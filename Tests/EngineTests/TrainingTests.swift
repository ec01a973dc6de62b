import Randomness
import Foundation
import XCTest
@testable import Engine

final class TrainingTests: XCTestCase {
    /// 16 images of 8×8 with a bright bar at a different place in each: easy to tell apart.
    private func bars(count: Int = 16) -> [Float] {
        var x = [Float](repeating: 0, count: count * 64)
        for n in 0..<count {
            let row = n % 8, horizontal = n < 8
            for k in 0..<8 { x[n * 64 + (horizontal ? row * 8 + k : k * 8 + row)] = 1 }
        }
        return x
    }

    private func fit(_ architecture: Architecture, _ data: [Float], _ config: TrainingConfig, seed: UInt64 = 1) throws -> (Model, [EpochRecord]) {
        let model = try Model(architecture, seed: seed)
        let history = try data.withUnsafeBufferPointer {
            try Trainer.fit(model, data: SampleMatrix(values: $0.baseAddress!, count: data.count / architecture.inputSize, sampleSize: architecture.inputSize), config: config)
        }
        return (model, history)
    }

    private let tinyAE = Architecture(kind: .autoencoder, inputShape: [8, 8, 1],
                                      encoder: [.dense(units: 32, activation: .relu), .dense(units: 16, activation: .relu)], latent: 16,
                                      decoder: [.dense(units: 32, activation: .relu), .dense(units: 64, activation: .sigmoid)], loss: .mse)

    func testTinyAutoencoderOverfitsOneBatch() throws {
        // tanh inside: ReLU units that die on 16 images would leave a floor in the loss.
        var smooth = tinyAE
        smooth.encoder = [.dense(units: 32, activation: .tanh), .dense(units: 16, activation: .tanh)]
        smooth.decoder = [.dense(units: 32, activation: .tanh), .dense(units: 64, activation: .sigmoid)]
        smooth.loss = .bce   // with 0/1 targets, squared error through a sigmoid flattens out near the end
        let (_, history) = try fit(smooth, bars(), TrainingConfig(epochs: 3000, batchSize: 16, optimizer: .adam(learningRate: 0.01)))
        let first = try XCTUnwrap(history.first).loss.total, last = try XCTUnwrap(history.last).loss.total
        XCTAssertGreaterThan(first, 0.3)
        XCTAssertLessThan(last, 1e-3, "from \(first) to \(last)")
    }

    func testSameSeedGivesTheSameLossCurveAndWeightsBitForBit() throws {
        let config = TrainingConfig(epochs: 5, batchSize: 4, optimizer: .rmsprop(), seed: 7)
        let vae = Architecture(kind: .vae, inputShape: [8, 8, 1], encoder: [.dense(units: 16, activation: .relu)], latent: 2,
                               decoder: [.dense(units: 16, activation: .relu), .dense(units: 64, activation: .sigmoid)], loss: .bce)
        let (a, historyA) = try fit(vae, bars(), config, seed: 3)
        let (b, historyB) = try fit(vae, bars(), config, seed: 3)
        XCTAssertEqual(historyA.map(\.loss), historyB.map(\.loss))
        XCTAssertEqual(a.parameters.map(\.value.array), b.parameters.map(\.value.array))
        let (_, historyC) = try fit(vae, bars(), TrainingConfig(epochs: 5, batchSize: 4, optimizer: .rmsprop(), seed: 8), seed: 3)
        XCTAssertNotEqual(historyA.map(\.loss), historyC.map(\.loss), "the training seed changes shuffling and ε")
    }

    func testReleasingScratchChangesNothing() throws {
        let convVAE = Architecture(kind: .vae, inputShape: [8, 8, 1],
                                   encoder: [.conv(filters: 4, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu), .flatten],
                                   latent: 2,
                                   decoder: [.dense(units: 64, activation: .relu), .reshape([4, 4, 4]),
                                             .deconv(filters: 1, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .sigmoid)],
                                   loss: .bce)
        func train(releasing: Bool) throws -> (history: [Double], weights: [[Float]], codes: [Float]) {
            let model = try Model(convVAE, seed: 5)
            var history: [Double] = []
            for epoch in 0..<3 {
                let (_, records) = try bars().withUnsafeBufferPointer { xs in
                    (0, try Trainer.fit(model, data: SampleMatrix(values: xs.baseAddress!, count: 16, sampleSize: 64),
                                        config: TrainingConfig(epochs: 1, batchSize: 4, optimizer: .sgd(), seed: UInt64(epoch))))
                }
                history += records.map(\.loss.total)
                if releasing { model.releaseScratch() }
            }
            let codes = bars().withUnsafeBufferPointer { model.encode($0.baseAddress!, count: 16) }
            return (history, model.parameters.map(\.value.array), codes)
        }
        let kept = try train(releasing: false), released = try train(releasing: true)
        XCTAssertEqual(kept.history, released.history)
        XCTAssertEqual(kept.weights, released.weights)
        XCTAssertEqual(kept.codes, released.codes)
    }

    func testVAEHistoryHasItsParts() throws {
        let vae = Architecture(kind: .vae, inputShape: [8, 8, 1], encoder: [.dense(units: 16, activation: .relu)], latent: 2,
                               decoder: [.dense(units: 64, activation: .sigmoid)], loss: .bce, beta: 1)
        let (_, history) = try fit(vae, bars(), TrainingConfig(epochs: 3, batchSize: 8))
        for record in history {
            XCTAssertEqual(record.loss.total, record.loss.reconstruction + record.loss.kl, accuracy: 1e-6)
            XCTAssertGreaterThan(record.loss.kl, 0)
        }
    }

    func testNaNStopsTrainingNamingEpochAndBatch() throws {
        XCTAssertThrowsError(try fit(tinyAE, bars().map { $0 * 1e30 }, TrainingConfig(epochs: 3, batchSize: 4, optimizer: .sgd(learningRate: 1e30)))) { error in
            let failure = error as? TrainingError
            XCTAssertNotNil(failure)
            XCTAssertEqual(failure?.epoch, 1)
            XCTAssertTrue("\(error)".hasPrefix("the loss became NaN or infinite at epoch 1, batch "))
        }
    }

    func testEarlyStoppingAndValidation() throws {
        let data = bars()
        let model = try Model(tinyAE, seed: 1)
        var events: [String] = []
        let history = try data.withUnsafeBufferPointer { buffer -> [EpochRecord] in
            let matrix = SampleMatrix(values: buffer.baseAddress!, count: 16, sampleSize: 64)
            return try Trainer.fit(model, data: matrix, validation: matrix,
                                   config: TrainingConfig(epochs: 200, batchSize: 16, optimizer: .sgd(learningRate: 0), patience: 3)) { event in
                if case .epoch(let record, _) = event { events.append("epoch \(record.epoch)") }
            }
        }
        XCTAssertEqual(history.count, 4, "a learning rate of 0 never improves: stop after 1 + patience epochs")
        XCTAssertEqual(events, ["epoch 1", "epoch 2", "epoch 3", "epoch 4"])
        XCTAssertNotNil(history.first?.validation)
    }

    func testOptimizerUpdatesFollowKeras() {
        func oneStep(_ config: OptimizerConfig, gradient: Float, steps: Int = 1) -> Float {
            let p = Parameter(name: "w", shape: [1])
            p.value[0] = 1
            let optimizer = Optimizer(config, parameters: [p])
            for _ in 0..<steps { p.gradient[0] = gradient; optimizer.step() }
            return p.value[0]
        }
        // Adam's first step moves by lr · g / (|g| + ε) ≈ lr whatever the gradient's size.
        XCTAssertEqual(oneStep(.adam(), gradient: 10), 1 - 0.001, accuracy: 1e-7)
        // RMSprop's first step: v = 0.1 g², w -= lr · g / √(v + ε).
        XCTAssertEqual(oneStep(.rmsprop(), gradient: 2), 1 - 0.001 * 2 / (0.1 * 4 + 1e-7).squareRoot(), accuracy: 1e-7)
        XCTAssertEqual(oneStep(.sgd(learningRate: 0.1), gradient: 2), 0.8, accuracy: 1e-7)
        // SGD with momentum 0.9 over two steps: v1 = −0.2, v2 = −0.18 − 0.2.
        XCTAssertEqual(oneStep(.sgd(learningRate: 0.1, momentum: 0.9), gradient: 2, steps: 2), 1 - 0.2 - 0.38, accuracy: 1e-6)
    }

    /// Parameters cut into pieces at their ends and in the middle: every value is updated once
    /// and its gradient cleared, whichever piece holds it.
    func testOptimizerReachesEveryValueOfEveryParameter() {
        let counts = [1, Optimizer.pieceLength, Optimizer.pieceLength + 1, 3 * Optimizer.pieceLength - 7, 40]
        let parameters = counts.enumerated().map { Parameter(name: "p\($0.offset)", shape: [$0.element]) }
        for p in parameters {
            p.value.fill(1)
            p.gradient.fill(2)
        }
        Optimizer(.sgd(learningRate: 0.25), parameters: parameters).step()
        for (p, count) in zip(parameters, counts) {
            for i in 0..<count {
                guard p.value[i] == 0.5, p.gradient[i] == 0 else {
                    return XCTFail("\(p.name)[\(i)] of \(count): value \(p.value[i]), gradient \(p.gradient[i])")
                }
            }
        }
    }

    func testFastLog1pMatchesLibm() {
        var worst: Float = 0
        for i in 0...10_000 {
            let e = Float(i) / 10_000
            let exact = log1p(Double(e))
            worst = max(worst, Float(abs(Double(Losses.log1pUnit(e)) - exact) / max(exact, 1e-30)))
        }
        XCTAssertLessThan(worst, 3e-7, "relative error over [0, 1]: within 2.5 ulp of Float32")
    }

    func testRandomGeneratorIsSeededAndNormal() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
        var rng = RandomGenerator(seed: 1)
        let samples = (0..<100_000).map { _ in rng.normal() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
        var order = Array(0..<10)
        rng.shuffle(&order)
        XCTAssertEqual(order.sorted(), Array(0..<10))
    }
}
