/// What a report says about its run, as `swift-lab diff` compares it: read from the results JSON
/// a report embeds (or the `.json` written beside it).
///
/// ```swift
/// let report = try ReportReader.read(path: "Output/001-autoencoder-rotated-digits.html")
/// print(report.metrics.first?.key, report.metrics.first?.value)
/// ```
public struct GradedReport: Sendable {
    /// The newest layout of the results JSON this version reads.
    public static let newestFormat = 1

    public var path: String
    public var format: Int
    public var lab: String
    public var labSHA256: String
    public var title: String
    public var seed: Int
    public var quick: Bool
    public var parameters: [String: String]
    public var engine: String
    public var threads: Int?
    public var cpu: String?
    /// The OpenBLAS build and kernels (absent from reports before they were recorded).
    public var blas: String?
    public var steps: [StepRecord]
    /// Every number the run measured, in report order.
    public var metrics: [Metric]
    /// Every value a challenge tried that had an expectation, with its outcome.
    public var challengeOutcomes: [ChallengeOutcome]
    public var failure: String?
    /// The front matter's `student:`, when the lab named one.
    public var student: String?
    /// Written answers by question id, in report order: answers, never metrics.
    public var answers: [Answer] = []

    public struct Answer: Sendable, Equatable {
        public var question: String
        /// Markdown, as the student wrote it.
        public var text: String
    }

    public struct StepRecord: Sendable, Equatable {
        public var line: Int
        public var kind: String
        public var title: String
        public var status: String
        public var error: String?

        /// How the same step is recognised in another report: its kind and title, not its line.
        public var key: String { "\(kind) \(title)" }
    }

    public struct Metric: Sendable, Equatable {
        /// Where the number comes from, e.g. "score cae_error" or "challenge The size of the code [latent=8]".
        public var source: String
        /// Its name in the results, e.g. "auc" or "final_loss".
        public var name: String
        public var value: Double

        public var key: String { "\(source) \(name)" }
    }

    public struct ChallengeOutcome: Sendable, Equatable {
        public var challenge: String
        public var value: String
        public var expectation: String
        public var passed: Bool

        public var key: String { "\(challenge) [\(value)]" }
    }
}
