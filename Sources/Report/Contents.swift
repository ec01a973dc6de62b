/// The report's table of contents: the lab's sections (its headings of level 1 and 2) with the
/// steps under each nested in it, a failed step marked. Steps before the first heading stand at
/// the top level.
struct Contents {
    private(set) var entries: [[String: Any]] = []

    /// Headings deeper than this stay out of the contents (they would crowd a phone's screen).
    static let deepestLevel = 2

    mutating func add(_ heading: Markdown.Heading) {
        guard heading.level <= Self.deepestLevel, !heading.text.isEmpty else { return }
        // Every key set on every entry: Mustache looks a missing key up in the enclosing entry.
        entries.append(["anchor": heading.anchor, "label": heading.text, "section": true, "failed": false, "hasSteps": false, "steps": [[String: Any]]()])
    }

    mutating func add(_ step: ReportDocument.Step, anchor: String) {
        let entry: [String: Any] = ["anchor": anchor, "label": "\(step.kind): \(step.title)", "failed": step.status == .failed,
                                    "hasSteps": false, "steps": [[String: Any]]()]
        if let last = entries.indices.last, entries[last]["section"] as? Bool == true, var steps = entries[last]["steps"] as? [[String: Any]] {
            steps.append(entry)
            entries[last]["steps"] = steps
            entries[last]["hasSteps"] = true
        } else {
            entries.append(entry)
        }
    }
}
