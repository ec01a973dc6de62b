/// Anomaly scores, classical baselines and evaluation metrics.
///
/// Convention: a score is larger for more anomalous samples, and the anomalies are the positive
/// class (label 1). Metrics are computed in Double precision with scikit-learn's definitions.
public enum Detection {}

/// Why a metric or score cannot be computed: one sentence saying what is wrong with the input.
public struct DetectionError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
