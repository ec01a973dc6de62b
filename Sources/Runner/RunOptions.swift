import LabDocument

/// How to run a lab.
public struct RunOptions {
    /// `--quick`: every `load` keeps at most `quickSamples` samples (a seeded, class-stratified
    /// sample), training runs at most `quickEpochs` epochs, and Monte-Carlo scores draw at most
    /// `quickDraws` samples of z, and an Isolation Forest has at most `quickTrees` trees. For tests
    /// and a first look; the numbers are not the lab's.
    public var quick: Bool
    public var seed: Int?
    public var overrides: [(String, String)]
    /// Where trained models and scores are cached (see `StepCache`); `nil` runs everything.
    public var cacheDirectory: String?
    /// Called as the run advances, for a progress bar or a log.
    public var progress: (RunEvent) -> Void

    /// Where `swift-lab run` caches, relative to the working directory.
    public static let defaultCacheDirectory = ".swift-lab/cache"
    public static let quickSamples = 2_000
    public static let quickEpochs = 2
    public static let quickDraws = 5
    public static let quickTrees = 100
    /// `--quick` tries at most this many of a challenge's values: the first, the last and, with
    /// three, the middle one (`quickValuePositions`).
    public static let quickChallengeValues = 3
    /// `--quick` trains a challenge's variants for at most this many epochs.
    public static let quickVariantEpochs = 1

    /// Set on the options a challenge's variant runs with.
    var isChallengeVariant = false

    /// Training epochs at most, or `nil` for the lab's own.
    var epochLimit: Int? {
        guard quick else { return nil }
        return isChallengeVariant ? Self.quickVariantEpochs : Self.quickEpochs
    }

    /// The mode as it enters a step's fingerprint. Only a variant's training differs from the
    /// lab's own under `--quick`, so only its train steps get another fingerprint: everything
    /// else the variant does not change is still shared with the lab's run.
    func fingerprintMode(of kind: StepKind) -> String {
        kind == .train && quick && isChallengeVariant ? "quick=variant" : "quick=\(quick)"
    }

    /// The positions of the values a challenge tries out of `count`: all of them, or under
    /// `--quick` at most `quickChallengeValues`, spread from the first to the last.
    func challengeValuePositions(count: Int) -> [Int] {
        let limit = Self.quickChallengeValues
        guard quick, count > limit else { return Array(0..<count) }
        return (0..<limit).map { k in k * (count - 1) / (limit - 1) }
    }

    public init(quick: Bool = false, seed: Int? = nil, overrides: [(String, String)] = [], cacheDirectory: String? = nil,
                progress: @escaping (RunEvent) -> Void = { _ in }) {
        self.quick = quick
        self.seed = seed
        self.overrides = overrides
        self.cacheDirectory = cacheDirectory
        self.progress = progress
    }
}

/// What a run reports as it advances.
///
/// ```swift
/// let options = RunOptions { event in if case .note(let text) = event { print(text) } }
/// ```
public enum RunEvent: Sendable {
    /// A step starts.
    case step(number: Int, of: Int, kind: String, title: String, line: Int)
    /// A challenge starts running its variant `number` of `of`, with `parameter` set to `value`.
    case variant(number: Int, of: Int, parameter: String, value: String)
    /// A training batch finished; `loss` is the running mean of the epoch so far.
    case batch(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double)
    /// A training epoch finished, summarised on one line.
    case epoch(String)
    /// Anything else worth a line: a cache hit, a challenge's variant.
    case note(String)
}
