/// How to run a lab.
public struct RunOptions {
    /// `--quick`: every `load` keeps at most `quickSamples` samples (a seeded, class-stratified
    /// sample), training runs at most `quickEpochs` epochs, and Monte-Carlo scores draw at most
    /// `quickDraws` samples of z. For tests and a first look; the numbers are not the lab's.
    public var quick: Bool
    public var seed: Int?
    public var overrides: [(String, String)]
    /// Called with one line of progress at a time.
    public var progress: (String) -> Void

    public static let quickSamples = 2_000
    public static let quickEpochs = 2
    public static let quickDraws = 5

    public init(quick: Bool = false, seed: Int? = nil, overrides: [(String, String)] = [], progress: @escaping (String) -> Void = { _ in }) {
        self.quick = quick
        self.seed = seed
        self.overrides = overrides
        self.progress = progress
    }
}
