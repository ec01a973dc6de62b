/// Pixels (or feature values) of many samples, stored once and shared by every dataset built
/// from them: filtering, splitting and injecting only move indices around.
public final class SampleStore: @unchecked Sendable {
    /// Shape of one sample, e.g. [28, 28, 1]; a CSV row is [features].
    public let shape: [Int]
    public let count: Int
    /// `count` samples of `sampleSize` values, one after the other.
    public let values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
        count = values.count / max(shape.reduce(1, *), 1)
    }

    public var sampleSize: Int { shape.reduce(1, *) }

    /// The values of sample `index`.
    public func sample(_ index: Int) -> ArraySlice<Float> {
        values[(index * sampleSize)..<((index + 1) * sampleSize)]
    }
}
