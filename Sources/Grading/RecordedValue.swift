/// A number a report records, named as a lab names it: `NAME.metric`, the `as:` name of a
/// `train` or `score` step and one of its numbers (`rotation_error.auc`, `autoencoder.final_loss`).
///
/// ```swift
/// let auc = RecordedValue("rotation_error.auc")!
/// auc.value(in: report)   // 0.9512
/// ```
public struct RecordedValue: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var metric: String

    /// nil unless `text` is two non-empty parts around its last dot.
    public init?(_ text: String) {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else { return nil }
        name = String(text[..<dot])
        metric = String(text[text.index(after: dot)...])
    }

    public var description: String { "\(name).\(metric)" }

    /// The value in `report`, from a step's own results (challenges' values are not named this way).
    public func value(in report: GradedReport) -> Double? {
        report.metrics.first { $0.name == metric && $0.resultName == name }?.value
    }
}

extension GradedReport.Metric {
    /// The `as:` name of the step that recorded it; nil for a challenge's values.
    var resultName: String? {
        guard let space = source.firstIndex(of: " "), !source.hasPrefix("challenge ") else { return nil }
        return String(source[source.index(after: space)...])
    }
}
