/// A challenge's pass condition, `metric op number`, e.g. `auc >= 0.8`.
public struct Expectation: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=" }

    public var metric: String
    public var comparison: Comparison
    public var bound: Double

    /// Parses `auc >= 0.8`; nil when the text is not of that form.
    public init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 3, let comparison = Comparison(rawValue: words[1]), let bound = Double(words[2]), bound.isFinite else { return nil }
        self.metric = words[0]
        self.comparison = comparison
        self.bound = bound
    }

    public func holds(for value: Double) -> Bool {
        switch comparison {
        case .less: return value < bound
        case .lessOrEqual: return value <= bound
        case .greater: return value > bound
        case .greaterOrEqual: return value >= bound
        }
    }

    public var description: String { "\(metric) \(comparison.rawValue) \(ValueFormat.number(bound))" }
}
