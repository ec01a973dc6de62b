import Datasets
import LabDocument

/// Results of steps by fingerprint, shared between a lab's run and the variants its challenges
/// run, so that a variant recomputes only the steps the varied parameter reaches.
///
/// A step's fingerprint covers its kind, position and body after `${name}` substitution, the
/// fingerprints of every name it reads, the seed and the mode: equal fingerprints mean equal
/// results, because every step draws its randomness from its own seeded generator.
final class StepMemo {
    struct Entry {
        /// The fingerprint the step's names stand for (a load step's includes the data it read).
        var outputFingerprint: String
        var datasets: [String: Dataset] = [:]
        var models: [String: Workspace.TrainedModel] = [:]
        var scores: [String: Workspace.Scores] = [:]
    }

    private var entries: [String: Entry] = [:]
    /// Registered datasets as read from disk, by name, split and path: read once per process,
    /// shared by every view the steps make of them.
    var loaded: [String: Dataset] = [:]
    /// SHA-256 of each data file read, by path, for the report's run section.
    var fileChecksums: [String: String] = [:]

    subscript(fingerprint: String) -> Entry? {
        get { entries[fingerprint] }
        set { entries[fingerprint] = newValue }
    }

    /// The fingerprint of `step` given the fingerprints of the names defined so far.
    static func fingerprint(of step: Step, names: [String: String], seed: Int, mode: String) -> String {
        var words: [String] = []
        collect(step.body, into: &words)
        let inputs = Set(words.filter { names[$0] != nil }).sorted().map { "\($0)=\(names[$0]!)" }
        let text = ["\(step.kind.rawValue)#\(step.index)", canonical(step.body), inputs.joined(separator: ","), "seed=\(seed)", mode].joined(separator: "\n")
        return SHA256.hex(of: Array(text.utf8))
    }

    /// Names a step defines (its `as:`, or a split's `parts`).
    static func definedNames(_ step: Step) -> [String] {
        if let parts = step["parts"]?.mapping { return parts.map(\.key) }
        return step.name.map { [$0] } ?? []
    }

    /// The positions of the steps that `names` depend on: the steps defining them, the steps
    /// defining what those read, and so on back to the loads. A challenge's variant runs only
    /// these: a model or score its measure does not read cannot change the measure.
    static func steps(neededFor names: Set<String>, in steps: [Step]) -> Set<Int> {
        var needed = names, positions = Set<Int>()
        for step in steps.reversed() where !needed.isDisjoint(with: definedNames(step)) {
            positions.insert(step.index)
            var words: [String] = []
            collect(step.body, into: &words)
            needed.formUnion(words)
        }
        return positions
    }

    private static func collect(_ value: LabValue, into words: inout [String]) {
        switch value.kind {
        case .string(let s): words.append(s)
        case .list(let items): items.forEach { collect($0, into: &words) }
        case .mapping(let entries): entries.forEach { collect($0.value, into: &words) }
        default: break
        }
    }

    /// A stable text form of a value, independent of where it was written.
    static func canonical(_ value: LabValue) -> String {
        switch value.kind {
        case .list(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .mapping(let entries): return "{" + entries.map { "\($0.key):\(canonical($0.value))" }.joined(separator: ",") + "}"
        case .string(let s): return "\"\(s)\""
        default: return value.scalarText ?? "null"
        }
    }
}
