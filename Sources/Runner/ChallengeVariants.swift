import LabDocument

/// The variants a challenge with `vary` runs: the lab again with the challenge's `with` settings
/// and one value of the varied parameter, on top of the run's own `--set` values (which the
/// challenge's own settings replace).
///
/// ```swift
/// let overrides = ChallengeVariants.overrides(base: [("epochs", "3")], step: challenge, value: "8")
/// // [("epochs", "3"), ("latent_dim", "8")] for `vary: { latent_dim: [2, 8] }`
/// ```
enum ChallengeVariants {
    /// Every variant is a parse and a preflight of the whole lab, and a run of it: a lab asking
    /// for more than this is refused rather than checked for minutes and run for days.
    static let maximumPerLab = 500
    /// Checking a variant parses the whole lab again: a very long lab may try fewer values, so
    /// that `check` stays within about a second (each MiB parses in some 65 ms).
    static let maximumParsedBytes = 16 * 1024 * 1024

    /// How many values this lab's challenges may try in all.
    static func limit(for lab: Lab) -> Int {
        min(maximumPerLab, max(1, maximumParsedBytes / max(1, lab.source.utf8.count)))
    }

    static func overrides(base: [(String, String)], step: Step, value: String) -> [(String, String)] {
        guard let parameter = step["vary"]?.mapping?.first?.key else { return base }
        let settings = self.settings(of: step)
        let fixed = Set(settings.map(\.0) + [parameter])
        return base.filter { !fixed.contains($0.0) } + settings + [(parameter, value)]
    }

    /// The challenge's `with` settings, as `--set` pairs.
    static func settings(of step: Step) -> [(String, String)] {
        (step["with"]?.mapping ?? []).compactMap { entry in entry.value.scalarText.map { (entry.key, $0) } }
    }

    /// `check`'s promise for challenges: each variant passes the preflight the lab passes, so a
    /// value that cannot build its model (or runs over the model budget) is an error at that value,
    /// found before anything runs rather than as a gap in the challenge's table.
    static func preflight(_ lab: Lab, overrides: [(String, String)], budget: Int) -> [Diagnostic] {
        let challenges = lab.steps.filter { $0.kind == .challenge && $0["vary"]?.mapping?.first != nil }
        let total = challenges.reduce(0) { $0 + ($1["vary"]?.mapping?.first?.value.list?.count ?? 0) }
        let limit = limit(for: lab)
        if total > limit, let first = challenges.first {
            let size = limit < maximumPerLab ? " of this size (\(lab.source.utf8.count / 1024) KiB)" : ""
            return [Diagnostic(file: lab.path, location: first.location(ofKey: "vary"),
                               message: "the challenges try \(total) values in all, each a run of the lab; a lab\(size) may try at most \(limit)")]
        }
        var diagnostics: [Diagnostic] = [], said = Set<String>()
        for step in challenges {
            guard let vary = step["vary"]?.mapping?.first else { continue }
            for value in vary.value.list ?? [] {
                guard let text = value.scalarText else { continue }
                let parsed = LabParser.parse(text: lab.source, path: lab.path, overrides: Self.overrides(base: overrides, step: step, value: text))
                // The lab checks and the value has its parameter's type (else the lab's own check
                // says so), so what the variant's parse refuses is the value itself: 0 units, say.
                var problems = parsed.diagnostics.filter { $0.severity == .error }
                if let variant = parsed.lab, problems.isEmpty {
                    var flight = Preflight.Flight(lab: variant, budget: budget)
                    for variantStep in variant.steps { flight.check(variantStep) }
                    problems = flight.diagnostics
                }
                for problem in problems {
                    let place = problem.location.map { " (line \($0.line))" } ?? ""
                    let message = "with \(vary.key) = \(text): \(problem.message)\(place)"
                    if said.insert(message).inserted { diagnostics.append(Diagnostic(file: lab.path, location: value.location, message: message)) }
                }
            }
        }
        return diagnostics
    }
}
