import Datasets
import Foundation

/// A gradebook as CSV for a spreadsheet, or as JSON for tools.
///
/// ```swift
/// print(GradebookText.csv(book), terminator: "")
/// // student,file,status,auc,turning,hidden_auc,q1,total,notes
/// // alice,submissions/alice.html,graded,2,0.5,2,,4.5,
/// ```
public enum GradebookText {
    /// RFC 4180, ASCII only: one header row, then one row per submission. Item and total columns
    /// hold plain numbers, or nothing (a hand-graded item, an unreadable submission). Text cells
    /// come from submissions: control characters and everything beyond ASCII are written as
    /// escapes (`\e`, `\u{E9}`), and a cell a spreadsheet would take for a formula gets a `'`.
    public static func csv(_ book: Gradebook) -> String {
        // The re-run's column only when submissions were re-run (`grade --rerun`).
        let reran = book.rows.contains { $0.rerun != nil }
        let header = ["student", "file", "status"] + book.rubric.items.map(\.id) + ["total", "notes"] + (reran ? ["rerun"] : [])
        let rows = book.rows.map { row -> [String] in
            let marks = row.status == .unreadable ? book.rubric.items.map { _ in "" } : row.marks.map { $0.points.map(Gradebook.number) ?? "" }
            let status = row.status.rawValue + (row.problem.map { ": \($0)" } ?? "")
            return [row.student, row.file, status] + marks + [row.total.map(Gradebook.number) ?? "", row.notes.joined(separator: "; ")] + (reran ? [row.rerun?.text ?? ""] : [])
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ cell: String) -> String {
        let text = ClassTable.formulaSafe(ascii(cell))
        return text.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// `text` in printable ASCII: control characters as `TerminalText` shows them (line breaks too,
    /// so a row stays one line), and every other scalar beyond ASCII as `\u{HEX}`.
    static func ascii(_ text: String) -> String {
        var out = ""
        for scalar in TerminalText.escaped(text).unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar) } else { out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" }
        }
        return out.replacingOccurrences(of: "\t", with: "\\t")
    }

    /// The rubric (without its hidden checks' conditions: a tool may pass this on) and every row.
    public static func json(_ book: Gradebook) throws -> String {
        let items: [[String: Any]] = book.rubric.items.map {
            ["id": $0.id, "points": $0.points, "kind": kind(of: $0.check), "hidden": $0.hidden, "manual": $0.check.isManual]
        }
        let rows: [[String: Any]] = book.rows.map { row in
            var marks: [String: Any] = [:]
            for (item, mark) in zip(book.rubric.items, row.marks) {
                marks[item.id] = ["points": mark.points ?? NSNull(), "outcome": outcome(mark.outcome), "detail": mark.detail ?? NSNull()] as [String: Any]
            }
            return ["student": row.student, "file": row.file, "status": row.status.rawValue, "problem": row.problem ?? NSNull(),
                    "notes": row.notes, "items": marks, "total": row.total ?? NSNull(),
                    "answers": row.answers.map { ["question": $0.question, "text": $0.text] },
                    "rerun": row.rerun.map { ["matches": $0.matches, "text": $0.text] as [String: Any] } ?? NSNull()]
        }
        let object: [String: Any] = ["items": items, "automatic_points": book.rubric.automaticPoints, "submissions": rows]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self) + "\n"
    }

    static func kind(of check: Rubric.Check) -> String {
        switch check {
        case .metric: return "metric"
        case .challenge: return "challenge"
        case .expectation: return "expect"
        case .answer: return "answer"
        }
    }

    static func outcome(_ outcome: Gradebook.Mark.Outcome) -> String {
        switch outcome {
        case .passed: return "passed"
        case .failed: return "failed"
        case .partly(let met, let of): return "\(met)/\(of) values met the expectation"
        case .received: return "received"
        case .missing: return "missing"
        }
    }
}
