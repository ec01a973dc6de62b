import Datasets

/// One row per submission against a reference report: a class graded at once.
///
/// ```swift
/// let table = ClassTable(reference: reference, submissions: paths, tolerance: .defaults)
/// print(table.markdown())
/// ```
public struct ClassTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var file: String
        /// nil when the submission could not be read; `problem` says why.
        public var sameLab: Bool?
        public var parametersChanged: [String] = []
        public var metricsOutside: [String] = []
        public var challengesPassed: Int = 0
        public var challengesTotal: Int = 0
        public var equal = false
        public var problem: String?
    }

    public var rows: [Row] = []

    public static let header = ["file", "lab", "parameters changed", "metrics outside tolerance", "challenges passed", "result"]

    /// Reads and compares each submission in turn; one that cannot be read gets a row saying why.
    public init(reference: GradedReport, submissions: [String], tolerance: Tolerance) {
        for path in submissions {
            do {
                let submission = try ReportReader.read(path: path)
                let c = ReportComparison(reference, submission, tolerance: tolerance)
                rows.append(Row(file: path, sameLab: c.sameLab,
                                parametersChanged: c.settings.map { "\($0.name)=\($0.b ?? "(absent)") (was \($0.a ?? "absent"))" },
                                metricsOutside: c.metricsBeyondTolerance.map(\.key) + c.metricsOnlyInA.map { "\($0) (missing)" },
                                challengesPassed: submission.challengeOutcomes.filter(\.passed).count,
                                challengesTotal: submission.challengeOutcomes.count, equal: c.isEqual,
                                problem: submission.failure.map { "the run failed: \($0)" }))
            } catch let error as UnreadableReport {
                rows.append(Row(file: path, sameLab: nil, problem: error.reason))
            } catch {
                rows.append(Row(file: path, sameLab: nil, problem: "\(error)"))
            }
        }
    }

    public var allEqual: Bool { rows.allSatisfy(\.equal) }

    func cells(_ row: Row) -> [String] {
        guard let sameLab = row.sameLab else { return [row.file, "–", "–", "–", "–", "unreadable: \(row.problem ?? "")"] }
        return [row.file, sameLab ? "same" : "different",
                row.parametersChanged.isEmpty ? "none" : row.parametersChanged.joined(separator: "; "),
                row.metricsOutside.isEmpty ? "none" : "\(row.metricsOutside.count): " + Self.abbreviated(row.metricsOutside),
                row.challengesTotal == 0 ? "–" : "\(row.challengesPassed)/\(row.challengesTotal)",
                (row.equal ? "equal" : "differs") + (row.problem.map { " (\($0))" } ?? "")]
    }

    /// The first few names, then how many more: a row stays readable when everything moved.
    static func abbreviated(_ names: [String], shown: Int = 4) -> String {
        names.count <= shown ? names.joined(separator: "; ") : names.prefix(shown).joined(separator: "; ") + "; and \(names.count - shown) more"
    }

    /// For a terminal: file names, parameters and metric names come from the submissions, so
    /// control characters are shown as escapes (`TerminalText`), never sent.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { TerminalText.escaped($0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")) }.joined(separator: " | ") + " |"
        }
        return ([line(Self.header), line(Self.header.map { _ in "---" })] + rows.map { line(cells($0)) }).joined(separator: "\n")
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. Every cell is
    /// also made inert: control characters shown as escapes (the CSV is often read on a terminal),
    /// and a cell that a spreadsheet would take for a formula gets a leading `'` (`formulaSafe`).
    public func csv() -> String {
        func field(_ cell: String) -> String {
            let text = Self.formulaSafe(TerminalText.escaped(cell))
            return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([Self.header] + rows.map(cells)).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// `cell` with a `'` in front when it starts with `=`, `+`, `-`, `@` or a tab, which a
    /// spreadsheet would evaluate (`=HYPERLINK(...)` as a submission's file name); the `'` makes
    /// it text, and shows. A plain number (`-0.25`, `+3`, `-1e-5`) is left as it is: it is no
    /// formula, and the table's counts and values stay numbers. No column of the table is numeric
    /// today, but a parameter value or a file name may be a negative number.
    static func formulaSafe(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t".unicodeScalars.contains(first) else { return cell }
        return isPlainNumber(cell) ? cell : "'" + cell
    }

    /// An optional sign, digits with at most one point, an optional exponent; nothing else.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars
        func digits() -> Int {
            var n = 0
            while let s = scalars.first, ("0"..."9").contains(s) { scalars.removeFirst(); n += 1 }
            return n
        }
        if let s = scalars.first, s == "+" || s == "-" { scalars.removeFirst() }
        var count = digits()
        if scalars.first == "." { scalars.removeFirst(); count += digits() }
        guard count > 0 else { return false }
        if let s = scalars.first, s == "e" || s == "E" {
            scalars.removeFirst()
            if let s = scalars.first, s == "+" || s == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }
}
