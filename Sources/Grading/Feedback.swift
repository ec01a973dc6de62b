import Foundation

/// One page per student: the public checks of the rubric, passed or failed, and what happens to
/// the hand-graded items. Hidden items are left out entirely (neither their checks nor their
/// count), and the page never says "all tests passed": it says how many public checks passed.
///
/// ```swift
/// let written = try Feedback.write(book, to: URL(fileURLWithPath: "feedback"))
/// // ["feedback/alice.html", "feedback/bob.html"]
/// ```
public enum Feedback {
    /// Writes every row's page into `directory` (created if needed), named after the student id
    /// reduced to letters, digits, `_` and `-` (a report's `student:` cannot name a path); two
    /// students whose names reduce alike get `-2`, `-3`. Returns the paths written.
    public static func write(_ book: Gradebook, to directory: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var used: Set<String> = []
        var written: [String] = []
        for row in book.rows {
            let base = fileName(for: row.student)
            var name = base, n = 1
            while used.contains(name.lowercased()) { n += 1; name = "\(base)-\(n)" }
            used.insert(name.lowercased())
            let url = directory.appendingPathComponent(name + ".html")
            // Whole or not at all: a page is written beside its name and renamed into place.
            try Data(page(row, rubric: book.rubric).utf8).write(to: url, options: .atomic)
            written.append(url.path)
        }
        return written
    }

    static func fileName(for student: String) -> String {
        let kept = String(student.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-") ? Character(scalar) : "_"
        }.prefix(64))
        return kept.allSatisfy({ $0 == "_" }) ? "student" : kept
    }

    /// The page for one row: self-contained HTML, every text from the submission escaped.
    public static func page(_ row: Gradebook.Row, rubric: Rubric) -> String {
        var body: [String] = ["<h1>Feedback: \(escaped(row.labTitle ?? rubric.title ?? "lab"))</h1>",
                              "<p>Student: \(escaped(row.student))<br>Report: \(escaped(URL(fileURLWithPath: row.file).lastPathComponent))</p>"]
        if row.status == .unreadable {
            body.append("<p class=\"failed\">Your report could not be read: \(escaped(row.problem ?? "")). Nothing in it was graded; hand in the report <code>swift-lab run</code> wrote, unchanged.</p>")
            return document(body)
        }
        if row.status == .runFailed {
            body.append("<p class=\"failed\">Your run stopped at an error: \(escaped(row.problem ?? "")). What it recorded before the error was checked.</p>")
        }
        let visible = zip(rubric.items, row.marks).filter { !$0.0.hidden }
        let automatic = visible.filter { !$0.0.check.isManual }
        let passed = automatic.filter { $0.1.outcome == .passed || isWhole($0.1.outcome) }.count
        body.append("<p><strong>Public checks passed: \(passed) of \(automatic.count).</strong> This page lists the public checks; it is not your grade.</p>")
        body.append("<table>\n<tr><th>check</th><th>result</th><th>points</th></tr>")
        for (item, mark) in visible {
            let points = mark.points.map { "\(Gradebook.number($0)) of \(Gradebook.number(item.points))" } ?? "graded by hand (of \(Gradebook.number(item.points)))"
            body.append("<tr><td>\(escaped(description(of: item)))</td><td>\(escaped(result(mark)))</td><td>\(escaped(points))</td></tr>")
        }
        body.append("</table>")
        return document(body)
    }

    private static func isWhole(_ outcome: Gradebook.Mark.Outcome) -> Bool {
        if case .partly(let met, let of) = outcome { return met == of }
        return false
    }

    /// What the item checks, without the reference's values: those are the answers.
    static func description(of item: Rubric.Item) -> String {
        if let title = item.title { return title }
        switch item.check {
        case .metric(let value, _): return "\(value) matches the expected value"
        case .challenge(let title): return "challenge: \(title)"
        case .expectation(_, let expectation): return "\(expectation)"
        case .answer(let question): return "answer to question \(question)"
        }
    }

    static func result(_ mark: Gradebook.Mark) -> String {
        let detail = mark.detail.map { " (\($0))" } ?? ""
        switch mark.outcome {
        case .passed: return "passed"
        case .failed: return "failed" + detail
        case .partly(let met, let of): return "\(met) of \(of) values met the expectation"
        case .received: return "received"
        case .missing: return "missing" + detail
        }
    }

    private static func document(_ body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Feedback</title>
        <style>body{font-family:sans-serif;max-width:50em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}.failed{color:#a00}</style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    /// HTML text and attribute escaping. Grading keeps its own five lines rather than depend on the
    /// report renderer (and its templates) for them.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters (but tab and line feed) have no business in a page.
                // So are the bidirectional overrides and isolates: they would show a student's
                // text reversed or moved, so the grader would read what the report does not say.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || (0x7F...0x9F).contains(scalar.value)
                    || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
