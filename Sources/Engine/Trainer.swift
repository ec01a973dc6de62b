import Randomness
import Foundation

/// How to train: Keras's `fit` arguments.
public struct TrainingConfig: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var shuffle: Bool
    public var optimizer: OptimizerConfig
    /// Stop after this many epochs without improvement (validation loss, else training loss).
    public var patience: Int?
    /// Seeds shuffling and the VAE's ε (initialisation is seeded when the model is built).
    public var seed: UInt64

    public init(epochs: Int, batchSize: Int = 32, shuffle: Bool = true, optimizer: OptimizerConfig = .adam(),
                patience: Int? = nil, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.optimizer = optimizer
        self.patience = patience
        self.seed = seed
    }
}

/// One epoch of a training history.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    public var loss: LossParts
    public var validation: LossParts?
    public var seconds: Double
}

/// What `fit` reports while it runs.
public enum TrainingEvent: Sendable {
    case batch(epoch: Int, batch: Int, batches: Int, loss: Double)
    case epoch(EpochRecord, epochs: Int)
}

/// The loss became NaN or infinite: training stops and says where.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    public var epoch: Int
    public var batch: Int
    public var description: String { "the loss became NaN or infinite at epoch \(epoch), batch \(batch); try a smaller learning rate" }
}

/// Data in memory: `count` samples of `sampleSize` values each, one after the other.
public struct SampleMatrix: @unchecked Sendable {
    public let values: UnsafePointer<Float>
    public let count: Int
    public let sampleSize: Int

    public init(values: UnsafePointer<Float>, count: Int, sampleSize: Int) {
        self.values = values
        self.count = count
        self.sampleSize = sampleSize
    }
}

/// Mini-batch training, as Keras's `fit`.
///
/// ```swift
/// let history = try Trainer.fit(model, data: train, config: TrainingConfig(epochs: 20, batchSize: 256))
/// print(history.epochs.last!.loss.total)
/// ```
public enum Trainer {
    public static func fit(_ model: Model, data: SampleMatrix, validation: SampleMatrix? = nil,
                           config: TrainingConfig, progress: ((TrainingEvent) -> Void)? = nil) throws -> [EpochRecord] {
        precondition(data.sampleSize == model.architecture.inputSize, "data samples do not match the model's input")
        guard data.count > 0 else { return [] }
        let optimizer = Optimizer(config.optimizer, parameters: model.parameters)
        for parameter in model.parameters { parameter.gradient.fill(0) }
        let root = RandomGenerator(seed: config.seed)
        var shuffler = root.derived(1)
        var noise = root.derived(2)
        let batchSize = min(config.batchSize, data.count)
        let batches = (data.count + batchSize - 1) / batchSize
        let d = data.sampleSize
        let batchBuffer = FloatBuffer(count: batchSize * d)
        var order = Array(0..<data.count)

        var history: [EpochRecord] = []
        var best = Double.infinity
        var epochsWithoutImprovement = 0
        for epoch in 1...max(config.epochs, 1) {
            let started = Date()
            if config.shuffle { shuffler.shuffle(&order) }
            var sum = LossParts.zero
            for b in 0..<batches {
                let start = b * batchSize
                let size = min(batchSize, data.count - start)
                // Rows scattered over the whole data set, so each copy waits on memory: in parallel.
                order.withUnsafeBufferPointer { order in
                    Parallel.samples(size, elementsPerSample: d) { i in
                        (batchBuffer.pointer + i * d).update(from: data.values + order[start + i] * d, count: d)
                    }
                }
                let parts = model.step(batchBuffer.pointer, batch: size, rng: &noise, train: true)
                guard parts.total.isFinite else { throw TrainingError(epoch: epoch, batch: b + 1) }
                optimizer.step()
                sum.total += parts.total * Double(size)
                sum.reconstruction += parts.reconstruction * Double(size)
                sum.kl += parts.kl * Double(size)
                progress?(.batch(epoch: epoch, batch: b + 1, batches: batches, loss: sum.total / Double(start + size)))
            }
            let n = Double(data.count)
            let mean = LossParts(total: sum.total / n, reconstruction: sum.reconstruction / n, kl: sum.kl / n)
            var validationLoss: LossParts?
            if let validation, validation.count > 0 {
                var validationNoise = root.derived(UInt64(3 + epoch))
                validationLoss = model.loss(validation.values, count: validation.count, rng: &validationNoise)
            }
            let record = EpochRecord(epoch: epoch, loss: mean, validation: validationLoss, seconds: Date().timeIntervalSince(started))
            history.append(record)
            progress?(.epoch(record, epochs: config.epochs))

            if let patience = config.patience {
                let monitored = validationLoss?.total ?? mean.total
                if monitored < best {
                    best = monitored
                    epochsWithoutImprovement = 0
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience { break }
                }
            }
        }
        return history
    }
}
