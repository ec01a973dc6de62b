/// Written answers (`swift-lab answer` steps): what the lab's checksum leaves out, and the checks
/// of their question ids.
///
/// ```swift
/// let checksum = SHA256.hex(of: Array(lab.computationSource.utf8))   // the same with or without answers written
/// ```
extension Lab {
    /// The lab's text with every answer's body reduced to its question: what the lab computes
    /// does not depend on answers, so a student's answers, however long, do not make it another
    /// lab, while a question answered in place of another still does.
    public var computationSource: String {
        let answers = steps.filter { $0.kind == .answer }
        guard !answers.isEmpty else { return source }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // From the last answer up, so that the lines of the ones above keep their numbers.
        for step in answers.reversed() {
            var count = step.source.split(separator: "\n", omittingEmptySubsequences: false).count
            if step.source.hasSuffix("\n") { count -= 1 }
            // The body starts on the line after the opening fence (`location` is the fence's line, 1-based).
            let body = step.location.line..<min(step.location.line + count, lines.count)
            lines.replaceSubrange(body, with: ["question: \(step["question"]?.scalarText ?? "")"])
        }
        return lines.joined(separator: "\n")
    }
}

enum AnswerChecker {
    static let maximumIDLength = 64

    /// A question id is what a rubric's `answer:` names: an identifier, given once per lab.
    static func check(_ steps: [Step], sink: inout DiagnosticSink) {
        var seen: [String: Int] = [:]
        for step in steps where step.kind == .answer {
            guard let value = step["question"], let id = value.scalarText, value.list == nil, value.mapping == nil else { continue }
            let scalars = id.unicodeScalars
            let valid = (1...maximumIDLength).contains(scalars.count) && scalars.first.map(isLetterOrDigit) == true
                && scalars.allSatisfy { isLetterOrDigit($0) || "_-.".unicodeScalars.contains($0) }
            if !valid {
                sink.error("a question id is 1 to \(maximumIDLength) letters, digits, '_', '-' or '.', starting with a letter or digit", at: value.location)
            } else if let first = seen[id] {
                sink.error("question '\(id)' is answered twice (first at line \(first)); give each answer its own question id", at: value.location)
            } else {
                seen[id] = step.location.line
            }
        }
    }

    private static func isLetterOrDigit(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}
