/// When two values of a metric count as the same: |a − b| ≤ absolute + relative · max(|a|, |b|).
///
/// The defaults depend on the kind of number. Rates in [0, 1] (AUC, average precision, F1,
/// precision, recall, accuracy) allow 0.01 absolute: another CPU rounds differently, trains a
/// slightly different model and moves them in the third decimal. Losses and thresholds allow 2 %
/// relative. Counts (samples, epochs, parameters) must be equal.
///
/// ```swift
/// let tolerance = Tolerance.defaults.overriding(absolute: 0.001, relative: nil)
/// tolerance.allows("auc", 0.951, 0.9515)   // true
/// ```
public struct Tolerance: Sendable {
    public struct Bound: Sendable, Equatable {
        public var absolute: Double
        public var relative: Double

        public func allows(_ a: Double, _ b: Double) -> Bool {
            if a == b { return true }
            guard a.isFinite, b.isFinite else { return false }
            return abs(a - b) <= absolute + relative * max(abs(a), abs(b))
        }
    }

    public static let rates: Set<String> = ["auc", "ap", "pr_auc", "f1", "precision", "recall", "accuracy"]
    public static let counts: Set<String> = ["samples", "epochs", "parameters"]

    public var rate = Bound(absolute: 0.01, relative: 0)
    public var continuous = Bound(absolute: 1e-9, relative: 0.02)
    public let count = Bound(absolute: 0, relative: 0)

    public static let defaults = Tolerance()

    /// `--tolerance` and `--relative-tolerance`: replace the bounds of every metric but counts.
    public func overriding(absolute: Double?, relative: Double?) -> Tolerance {
        var copy = self
        if let absolute { copy.rate.absolute = absolute; copy.continuous.absolute = absolute }
        if let relative { copy.rate.relative = relative; copy.continuous.relative = relative }
        return copy
    }

    public func bound(for metric: String) -> Bound {
        if Self.counts.contains(metric) { return count }
        return Self.rates.contains(metric) ? rate : continuous
    }

    public func allows(_ metric: String, _ a: Double, _ b: Double) -> Bool { bound(for: metric).allows(a, b) }
}
