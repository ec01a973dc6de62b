import Engine
import Randomness

/// What a score method is given: the samples to score, and the model or data the step named.
///
/// ```swift
/// let input = ScoreInput(samples: [0, 1, 1, 0], count: 2, sampleSize: 2, seed: 7)
/// input.sample(1)   // [1, 0]
/// ```
public struct ScoreInput {
    /// `count` rows of `sampleSize` values.
    public var samples: [Float]
    public var count: Int
    public var sampleSize: Int
    /// The trained model of a model-based method.
    public var model: Model?
    /// `fitCount` rows of normal data a baseline (or a latent Gaussian) is fitted on.
    public var fit: [Float]?
    public var fitCount: Int
    /// Seeds every random choice, so that the same step gives the same scores.
    public var seed: UInt64
    /// Another trained model by name (a background model), checked to take these samples.
    public var modelNamed: (String) throws -> Model

    public init(samples: [Float], count: Int, sampleSize: Int, model: Model? = nil, fit: [Float]? = nil, fitCount: Int = 0,
                seed: UInt64, modelNamed: @escaping (String) throws -> Model = { throw DetectionError("no model '\($0)'") }) {
        self.samples = samples
        self.count = count
        self.sampleSize = sampleSize
        self.model = model
        self.fit = fit
        self.fitCount = fitCount
        self.seed = seed
        self.modelNamed = modelNamed
    }

    /// The values of sample `n`.
    public func sample(_ n: Int) -> ArraySlice<Float> { samples[(n * sampleSize)..<((n + 1) * sampleSize)] }

    /// The model, or an error saying that this score needs one.
    public func requireModel(for method: String) throws -> Model {
        guard let model else { throw DetectionError("\(method) scores through a trained model; none was given") }
        return model
    }
}

/// Scores, larger meaning more anomalous, with the terms they are made of.
public struct ScoredSamples: Sendable, Equatable {
    /// One score per sample.
    public var values: [Double]
    /// Per-sample terms the score combines, in the order a report shows them beside it, e.g.
    /// −log₂ p(x), L(x) and S(x) for the input-complexity score. Empty for one-term scores.
    public var terms: [Term]

    public struct Term: Sendable, Equatable, Codable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public init(values: [Double], terms: [Term] = []) {
        self.values = values
        self.terms = terms
    }
}

/// A way of scoring samples. Each score method's implementation conforms, so that the
/// interpreter runs every method the same way and a new method is its own file.
///
/// ```swift
/// struct Brightness: SampleScorer {
///     func scores(_ input: ScoreInput) throws -> ScoredSamples {
///         ScoredSamples(values: (0..<input.count).map { n in input.sample(n).reduce(0.0) { $0 + Double($1) } })
///     }
/// }
/// ```
public protocol SampleScorer {
    func scores(_ input: ScoreInput) throws -> ScoredSamples
}

extension Baseline: SampleScorer {
    public func scores(_ input: ScoreInput) throws -> ScoredSamples {
        guard let fit = input.fit else { throw DetectionError("a baseline needs data to fit on") }
        let detector = try self.fit(fit, count: input.fitCount, d: input.sampleSize, seed: input.seed)
        return ScoredSamples(values: detector.score(input.samples, count: input.count))
    }
}

extension ModelScore: SampleScorer {
    public func scores(_ input: ScoreInput) throws -> ScoredSamples {
        let model = try input.requireModel(for: "this score")
        var rng = RandomGenerator(seed: input.seed)
        return ScoredSamples(values: try scores(model: model, input.samples, count: input.count, fit: input.fit, fitCount: input.fitCount, rng: &rng))
    }
}
