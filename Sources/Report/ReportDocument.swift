/// Everything a report shows, in the order it shows it. The runner fills it in; `ReportRenderer`
/// turns it into one self-contained HTML page.
public struct ReportDocument: Sendable {
    public struct Parameter: Sendable {
        public var name: String, value: String, defaultValue: String
        public init(name: String, value: String, defaultValue: String) { self.name = name; self.value = value; self.defaultValue = defaultValue }
    }

    public enum Status: String, Sendable { case ran, failed, notrun }

    public enum Output: Sendable {
        case text(String)
        case table(header: [String], rows: [[String]])
        case chart(svg: String, caption: String?)
        case code(String)
        /// Markdown a student wrote (an answer), rendered by cmark in safe mode.
        case markdown(String)
    }

    public struct Step: Sendable {
        public var kind: String
        public var title: String
        public var line: Int
        public var source: String
        public var status: Status
        public var error: String?
        public var outputs: [Output]

        public init(kind: String, title: String, line: Int, source: String, status: Status = .ran, error: String? = nil, outputs: [Output] = []) {
            self.kind = kind; self.title = title; self.line = line; self.source = source; self.status = status; self.error = error; self.outputs = outputs
        }
    }

    public enum Cell: Sendable {
        /// Markdown, rendered by cmark in safe mode.
        case prose(markdown: String)
        case step(Step)
    }

    public struct MetricRow: Sendable {
        public var name: String, method: String, auc: String, ap: String, f1: String
        public init(name: String, method: String, auc: String, ap: String, f1: String) { self.name = name; self.method = method; self.auc = auc; self.ap = ap; self.f1 = f1 }
    }

    /// One challenge's outcome, for the summary under the header.
    public struct ChallengeRow: Sendable {
        public var title: String, measure: String, outcome: String
        public init(title: String, measure: String, outcome: String) { self.title = title; self.measure = measure; self.outcome = outcome }
    }

    public var title: String
    public var description: String?
    public var labPath: String
    public var seed: Int
    public var parameters: [Parameter]
    public var cells: [Cell]
    public var metrics: [MetricRow]
    public var challenges: [ChallengeRow] = []
    /// What `--quick` changed, one phrase each ("epochs 2 of 30 (line 40)"); nil for a full run.
    public var quickChanges: [String]?
    /// Facts that may differ between runs (timings, versions, machine), shown last.
    public var run: [(key: String, value: String)]
    /// The run's results as JSON, embedded in the page and written beside it.
    public var resultsJSON: String
    /// SHA-256 of the results JSON as embedded (`ReportRenderer.embedded`), so that a reader can
    /// tell an altered report from a genuine one.
    public var resultsDigest: String?
    /// The `data:` URI of each local image the prose shows, by the URL the prose gives
    /// (`![diagram](fig.png)` → "fig.png"); read and checked by the runner. Any other image is
    /// shown as its alt text, or as a link when it is remote.
    public var images: [String: String] = [:]

    public init(title: String, description: String? = nil, labPath: String, seed: Int, parameters: [Parameter] = [], cells: [Cell] = [],
                metrics: [MetricRow] = [], run: [(key: String, value: String)] = [], resultsJSON: String = "{}") {
        self.title = title; self.description = description; self.labPath = labPath; self.seed = seed; self.parameters = parameters
        self.cells = cells; self.metrics = metrics; self.run = run; self.resultsJSON = resultsJSON
    }
}
